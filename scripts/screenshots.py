"""Screenshots of the web client for the user manual (docs/zh_CN/用户手册.md).

The script starts no Odoo server: it shoots against one that runs already, on a database with the suite,
its demo data and Chinese (the demo users' language is zh_CN). For each picture of ``SHOTS`` it logs in as
the demo user (``POST /web/session/authenticate`` with ``requests``), hands the ``session_id`` cookie to a
headless Chromium driven over the DevTools protocol (``websocket-client``), opens the page, waits until the
web client is idle and saves a PNG (a JPEG of quality 80 when the PNG would exceed 600 kB) at desktop
(1440×900) or phone (390×844) size.

Renew the pictures after a UI change, from the repository root::

    nice -n 10 python3 scripts/odoo-bin -c odoo.conf -d wisdom_lead --http-port 8075 --db-filter '^wisdom_lead$' \\
        --workers 0 --max-cron-threads 0 --log-level warn &
    nice -n 10 python3 scripts/screenshots.py --url http://127.0.0.1:8075 --db wisdom_lead \\
        --out docs/zh_CN/images
    kill %1

``--only NAME [NAME ...]`` takes some pictures only; ``--chromium`` names another browser binary. A picture
keeps its name, so the manual's links stay valid (when one changes between PNG and JPEG, the other file is
removed and the script prints the new name: update the link). Demo users' passwords equal their logins.
"""

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

VIEWPORTS = {"desktop": (1440, 900, False), "phone": (390, 844, True)}
MAX_PNG_BYTES = 600 * 1024

# (name, login, path, viewport, click): click is a CSS selector clicked once the page is idle (a tab, a button
# that only opens something), or None. Record ids are those of the demo data.
SHOTS = [
    ("rep_dashboard", "zhangwei", "/odoo/action-wisdom_fulfillment.action_wisdom_dash_my_customers", "desktop", None),
    ("rep_customers", "zhangwei", "/odoo/action-wisdom_crm_base.action_wisdom_customers", "desktop", None),
    ("rep_customer_form", "zhangwei", "/odoo/action-wisdom_crm_base.action_wisdom_customers/57", "desktop", None),
    (
        "rep_public_pool",
        "zhangwei",
        "/odoo/action-wisdom_crm_base.action_wisdom_pool_customers",
        "desktop",
        ".o_data_row .o_list_record_selector input",
    ),
    ("rep_contract_review", "zhangwei", "/odoo/action-wisdom_contract.action_wisdom_contracts/23", "desktop", None),
    (
        "rep_contract_execution",
        "zhangwei",
        "/odoo/action-wisdom_contract.action_wisdom_contracts/21",
        "desktop",
        "a[name='wisdom_execution']",
    ),
    ("rep_my_receivables", "zhangwei", "/odoo/action-wisdom_fulfillment.action_wisdom_my_receivables", "desktop", None),
    (
        "manager_team_ranking",
        "wanglei",
        "/odoo/action-wisdom_fulfillment.action_wisdom_dash_team_ranking",
        "desktop",
        None,
    ),
    (
        "manager_reclaim_preview",
        "wanglei",
        "/odoo/action-wisdom_crm_base.action_wisdom_pool_reclaim_preview",
        "desktop",
        None,
    ),
    ("director_ageing", "zhoujianhua", "/odoo/action-wisdom_fulfillment.action_wisdom_dash_ageing", "desktop", None),
    (
        "director_contract_approval",
        "zhoujianhua",
        "/odoo/action-wisdom_contract.action_wisdom_contracts/22",
        "desktop",
        None,
    ),
    ("pm_demand", "suntao", "/odoo/action-wisdom_contract.action_wisdom_contract_demand/1", "desktop", None),
    ("finance_plan_lines", "wuxiuying", "/odoo/action-wisdom_fulfillment.action_wisdom_plan_line", "desktop", None),
    (
        "finance_invoice_request",
        "wuxiuying",
        "/odoo/action-wisdom_einvoice.action_wisdom_invoice_request/new",
        "desktop",
        None,
    ),
    (
        "contract_admin_templates",
        "zhengli",
        "/odoo/action-wisdom_contract.action_wisdom_contract_template",
        "desktop",
        None,
    ),
    (
        "integration_dashboard",
        "fengjun",
        "/odoo/action-wisdom_crm_base.action_wisdom_integration_dashboard",
        "desktop",
        None,
    ),
    ("phone_customers", "zhangwei", "/odoo/action-wisdom_crm_base.action_wisdom_customers", "phone", None),
    ("phone_contract", "zhangwei", "/odoo/action-wisdom_contract.action_wisdom_contracts/23", "phone", None),
    ("phone_my_receivables", "zhangwei", "/odoo/action-wisdom_fulfillment.action_wisdom_my_receivables", "phone", None),
]

IDLE_JS = """(() => {
    const busy = document.querySelector('.o_loading_indicator, .o_blockUI, .o_view_nocontent_loading');
    const ready = document.querySelector(
        '.o_action_manager .o_view_controller, .o_action_manager .o_action, .modal .o_form_view'
    );
    return Boolean(ready) && !busy && document.readyState === 'complete';
})()"""


class DevTools:
    """A minimal DevTools protocol client on one page target."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_idle(self, timeout=90, settle=1.5):
        """Wait until the web client shows a view and has been idle for ``settle`` seconds."""
        deadline = time.monotonic() + timeout
        idle_since = None
        while time.monotonic() < deadline:
            if self.evaluate(IDLE_JS):
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= settle:
                    return True
            else:
                idle_since = None
            time.sleep(0.25)
        return False

    def close(self):
        self.ws.close()


def start_chromium(binary, profile):
    process = subprocess.Popen(
        [
            binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--lang=zh-CN",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text().strip():
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("Chromium did not start")
        time.sleep(0.2)
    port = int(port_file.read_text().split()[0])
    for _attempt in range(50):
        pages = [
            t for t in requests.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json() if t["type"] == "page"
        ]
        if pages:
            return process, pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("Chromium has no page")


def login(url, db, user, password):
    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": user, "password": password}},
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error") or not session.cookies.get("session_id"):
        raise RuntimeError(f"login of {user} failed: {response.text[:300]}")
    return session.cookies["session_id"]


def shoot(tools, url, session_id, path, viewport, click):
    width, height, mobile = VIEWPORTS[viewport]
    tools.call("Network.clearBrowserCookies")
    tools.call("Network.setCookie", name="session_id", value=session_id, url=url, path="/")
    tools.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
    tools.call("Emulation.setTouchEmulationEnabled", enabled=mobile)
    tools.call("Page.navigate", url=f"{url}{path}")
    time.sleep(1)
    ready = tools.wait_idle()
    if click:
        tools.evaluate(f"document.querySelector({json.dumps(click)})?.click()")
        time.sleep(0.5)
        ready = tools.wait_idle() and ready
    if not ready:
        print(f"  warning: {path} did not become idle", file=sys.stderr)
    png = base64.b64decode(tools.call("Page.captureScreenshot", format="png")["data"])
    if len(png) <= MAX_PNG_BYTES:
        return png, "png"
    jpeg = base64.b64decode(tools.call("Page.captureScreenshot", format="jpeg", quality=80)["data"])
    return jpeg, "jpg"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", default="docs/zh_CN/images")
    parser.add_argument("--only", nargs="*", help="names of the pictures to take (default: all)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    url = args.url.rstrip("/")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shots = [shot for shot in SHOTS if not args.only or shot[0] in args.only]
    sessions = {}
    with tempfile.TemporaryDirectory(prefix="wisdom-shots-") as profile:
        process, ws_url = start_chromium(args.chromium, profile)
        tools = DevTools(ws_url)
        try:
            tools.call("Page.enable")
            tools.call("Network.enable")
            for name, user, path, viewport, click in shots:
                if user not in sessions:
                    sessions[user] = login(url, args.db, user, user)
                data, ext = shoot(tools, url, sessions[user], path, viewport, click)
                target = out / f"{name}.{ext}"
                target.write_bytes(data)
                other = out / f"{name}.{'png' if ext == 'jpg' else 'jpg'}"
                if other.exists():
                    other.unlink()
                    print(f"  {name} is now {target.name}: update its link in the manual")
                print(f"{target} ({len(data) // 1024} kB, {viewport}, {user})")
        finally:
            tools.close()
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
