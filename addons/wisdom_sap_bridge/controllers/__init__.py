from . import sap_inbound
