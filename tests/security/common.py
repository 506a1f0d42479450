"""Shared helpers of the attack tests: XML-RPC as a given role user, and what a refusal looks like."""

import xmlrpc.client

from odoo.tests import HttpCase

# What leaks when a payload reaches PostgreSQL unparameterised, in any RPC fault text.
SQL_ERROR_MARKERS = (
    "psycopg2",
    "syntax error at or near",
    "unterminated quoted string",
    "current transaction is aborted",
)


def login_password(user):
    """The password odoo.tests.new_test_user gives: the login, padded to 8 characters."""
    return user.login + "x" * (8 - len(user.login))


class RpcMixin(HttpCase):
    def rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, login_password(user), model, method, list(args), kwargs
        )

    def assertRefused(self, user, model, method, *args, **kwargs):
        """The call fails with Odoo's access error (XML-RPC fault 4), not some other error."""
        with self.assertRaises(xmlrpc.client.Fault, msg=f"{user.login} {model}.{method} was allowed") as caught:
            self.rpc(user, model, method, *args, **kwargs)
        fault = caught.exception
        self.assertEqual(fault.faultCode, 4, f"{user.login} {model}.{method}: {fault.faultString[-400:]}")

    def assertNoSqlError(self, fault):
        for marker in SQL_ERROR_MARKERS:
            self.assertNotIn(marker, fault.faultString)
