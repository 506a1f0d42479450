# Wisdom CRM on the official Odoo 19 image (Ubuntu 24.04, Odoo from its .deb, wkhtmltopdf 0.12.6 with
# patched Qt for the contract PDF, fonts-noto-cjk): adds the OCA addons and Python libraries of
# requirements.txt, the test tools (npm for the XML formatter check), a Chrome for browser tours, and the
# Wisdom CRM addons.
FROM odoo:19.0

USER root
# Ubuntu's "chromium" package is only a snap wrapper that cannot run in a container: the tours use
# Google Chrome from Google's Debian repository instead (amd64). Build with --build-arg WITH_BROWSER=0
# for a production image without a browser (`test` then fails: a skipped browser tour fails the run).
ARG WITH_BROWSER=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl gnupg npm \
    && if [ "$WITH_BROWSER" = 1 ]; then \
        curl -fsSL https://dl.google.com/linux/linux_signing_key.pub \
            | gpg --dearmor -o /usr/share/keyrings/google-chrome.gpg \
        && echo "deb [arch=amd64 signed-by=/usr/share/keyrings/google-chrome.gpg] https://dl.google.com/linux/chrome/deb/ stable main" \
            > /etc/apt/sources.list.d/google-chrome.list \
        && apt-get update \
        && apt-get install -y --no-install-recommends google-chrome-stable; \
    fi \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt requirements-dev.txt /opt/wisdom/
RUN pip3 install --no-cache-dir --break-system-packages \
        -r /opt/wisdom/requirements.txt -r /opt/wisdom/requirements-dev.txt

COPY --chown=odoo:odoo . /opt/wisdom
WORKDIR /opt/wisdom
USER odoo

ENV ODOO_CONF=/opt/wisdom/docker/odoo.docker.conf \
    PGHOST=db PGPORT=5432 DB_USER=odoo DB_PASSWORD=odoo \
    WISDOM_START_PG=never DATA_DIR=/var/lib/odoo

EXPOSE 8069 8072
HEALTHCHECK --interval=30s --timeout=5s --start-period=600s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8069/web/health || exit 1
ENTRYPOINT ["bash", "/opt/wisdom/scripts/wisdom.sh"]
CMD ["serve"]
