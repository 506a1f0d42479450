# Wisdom CRM on the official Odoo 19 image: adds the OCA addons and Python libraries of
# requirements.txt, the test tools, Chromium for browser tours, and the Wisdom CRM addons.
FROM odoo:19.0

USER root
COPY requirements.txt requirements-dev.txt /opt/wisdom/
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/* \
    && pip3 install --no-cache-dir --break-system-packages \
        -r /opt/wisdom/requirements.txt -r /opt/wisdom/requirements-dev.txt

COPY --chown=odoo:odoo . /opt/wisdom
WORKDIR /opt/wisdom
USER odoo

ENV ODOO_CONF=/opt/wisdom/docker/odoo.docker.conf \
    PGHOST=db PGPORT=5432 DB_USER=odoo DB_PASSWORD=odoo \
    WISDOM_START_PG=never DATA_DIR=/var/lib/odoo

EXPOSE 8069 8072
ENTRYPOINT ["bash", "/opt/wisdom/scripts/wisdom.sh"]
CMD ["serve"]
