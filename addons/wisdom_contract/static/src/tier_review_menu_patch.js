import { patch } from "@web/core/utils/patch";
import { TierReviewMenu } from "@base_tier_validation/components/tier_review_menu/tier_review_menu.esm";

// OCA's approvals menu in the top bar lists store.tierReviewGroups, filled by its first count; opened
// before that count has answered (right after the page loads), it crashed with "Invalid loop
// expression: undefined is not iterable". Start from an empty list until the count arrives.
patch(TierReviewMenu.prototype, {
    setup() {
        super.setup();
        if (!this.store.tierReviewGroups) {
            this.store.tierReviewGroups = [];
        }
    },
});
