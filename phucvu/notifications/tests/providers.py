"""Real servers on the loopback for the channels: an SMTP server (aiosmtpd) and an HTTP server that speaks
eSMS.vn's send API, Zalo's ZNS template API and Zalo's OAuth token refresh, recording what arrives.

They behave as the providers do where the code depends on it: eSMS does not send a RequestId it has seen twice, Zalo
refuses an expired or unknown access token (-124), a phone without a Zalo account (-118), and a refresh
token used twice. Failures can be injected (`fail_next`) to force retries.
"""

from __future__ import annotations

import email
import itertools
import json
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


@dataclass
class Mail:
    to: list[str]
    subject: str
    body: str
    message_id: str


class SmtpHandler:
    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self.fail_next = 0  # answer 451 (try again later) to this many messages
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            if self.fail_next:
                self.fail_next -= 1
                return "451 4.3.0 Tam thoi khong nhan thu, thu lai sau"
            parsed = email.message_from_bytes(envelope.content)
            body = parsed.get_payload(decode=True).decode(parsed.get_content_charset() or "utf-8")
            self.mails.append(Mail(to=list(envelope.rcpt_tos), subject=str(make_header(decode_header(parsed["Subject"]))),
                                   body=body, message_id=parsed["Message-ID"]))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.handler = SmtpHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def mails(self) -> list[Mail]:
        return self.handler.mails


@dataclass
class ProviderState:
    app_id: str = "zalo-app-1"
    app_secret: str = "zalo-secret"
    esms_key: str = "esms-key"
    esms_secret: str = "esms-secret"
    refresh_token: str = "refresh-0"  # the one refresh token Zalo accepts now (single use)
    access_tokens: dict[str, int] = field(default_factory=dict)  # valid token -> uses left
    uses_per_token: int = 1000
    no_zalo: set[str] = field(default_factory=set)  # phones without a Zalo account (84…)
    sms: list[dict] = field(default_factory=list)
    zns: list[dict] = field(default_factory=list)
    refreshes: list[str] = field(default_factory=list)  # refresh tokens spent, in order
    refused_refresh: list[str] = field(default_factory=list)
    request_ids: dict[str, str] = field(default_factory=dict)
    fail_next_sms: int = 0  # answer HTTP 503 to this many eSMS calls
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    state: ProviderState

    def log_message(self, *args) -> None:  # quiet
        pass

    def _answer(self, payload: dict, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        state = self.state
        with state.lock:
            if self.path == "/MainService.svc/json/SendMultipleMessage_V4_post_json/":
                return self._esms(json.loads(raw), state)
            if self.path == "/message/template":
                return self._zns(json.loads(raw), state)
            if self.path == "/v4/oa/access_token":
                return self._oauth(dict(urllib.parse.parse_qsl(raw.decode())), state)
        self._answer({"error": "not found"}, 404)

    def _esms(self, body: dict, state: ProviderState) -> None:
        if state.fail_next_sms:
            state.fail_next_sms -= 1
            return self._answer({"error": "busy"}, 503)
        if body.get("ApiKey") != state.esms_key or body.get("SecretKey") != state.esms_secret:
            return self._answer({"CodeResult": "101", "ErrorMessage": "Authorize Failed"})
        request_id = body.get("RequestId", "")
        if request_id and request_id in state.request_ids:  # a repeated request is not sent twice
            return self._answer({"CodeResult": "100", "SMSID": state.request_ids[request_id]})
        sms_id = f"sms-{next(state.counter)}"
        state.request_ids[request_id] = sms_id
        state.sms.append(body)
        self._answer({"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id})

    def _zns(self, body: dict, state: ProviderState) -> None:
        token = self.headers.get("access_token", "")
        if state.access_tokens.get(token, 0) <= 0:
            return self._answer({"error": -124, "message": "Access token is invalid"})
        state.access_tokens[token] -= 1
        if body.get("phone") in state.no_zalo:
            return self._answer({"error": -118, "message": "Zalo account not existed"})
        msg_id = f"zns-{next(state.counter)}"
        state.zns.append(body)
        self._answer({"error": 0, "message": "Success",
                      "data": {"msg_id": msg_id, "sent_time": "1700000000000", "quota": {"remainingQuota": "99"}}})

    def _oauth(self, form: dict, state: ProviderState) -> None:
        if self.headers.get("secret_key") != state.app_secret or form.get("app_id") != state.app_id:
            return self._answer({"error": -14002, "error_name": "Invalid app"})
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != state.refresh_token:
            state.refused_refresh.append(form.get("refresh_token", ""))
            return self._answer({"error": -14014, "error_name": "Invalid refresh token"})
        n = next(state.counter)
        state.refreshes.append(state.refresh_token)
        state.refresh_token = f"refresh-{n}"
        access = f"access-{n}"
        state.access_tokens[access] = state.uses_per_token
        self._answer({"access_token": access, "refresh_token": state.refresh_token, "expires_in": "90000"})


class ProviderServer:
    """eSMS + Zalo (ZNS and OAuth) on one loopback port."""

    def __init__(self) -> None:
        self.state = ProviderState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> ProviderServer:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def settings(self) -> dict:
        """The settings that point the channels at this server."""
        s = self.state
        return {"ESMS_BASE_URL": self.url, "ESMS_API_KEY": s.esms_key, "ESMS_SECRET_KEY": s.esms_secret,
                "ESMS_BRANDNAME": "UBND-QNINH", "ZALO_API_URL": self.url, "ZALO_OAUTH_URL": self.url,
                "ZALO_APP_ID": s.app_id, "ZALO_APP_SECRET": s.app_secret, "ZALO_REFRESH_TOKEN": s.refresh_token}
