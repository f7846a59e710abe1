"""Fakes of each network's endpoints, as documented, with real-shaped answers.

Each fake keeps the posts it created in ``posts`` (a retry that the network de-duplicates does not
add one), checks credentials like the network does, and records every request (see server.py).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
import urllib.request

from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1.rfc5849 import signature as oauth_signature

from .server import FakeServer, Recorded, Reply

# Real-looking credentials: the token leak test searches every output for them.
MASTODON_TOKEN = "ZA9kq3Lx7vWmT2rB8nYcF4hJ6pGdS1eQuV0oIiKa5Ns"
BLUESKY_HANDLE = "smo-demo.bsky.social"
BLUESKY_APP_PASSWORD = "abcd-efgh-ijkl-mnop"
BLUESKY_DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
TELEGRAM_TOKEN = "7123456789:AAHk3Jf9xQ2mZpL8vRt4YwC6nB1sD0eFgHi"
LINKEDIN_TOKEN = "AQVx8Yd3kLm2Nq9Rs7Tu6Vw5Xy4Za3Bc2De1Fg0Hi9Jk8Lm7No6Pq5Rs4Tu3Vw2Xy1Z"
FACEBOOK_TOKEN = "EAAGm0PX4ZCpsBAO7ZBkZCZAq1qZBZCwZAZBZCZBhT9ZBqL4ZAZBZCkZD"
THREADS_TOKEN = "THAAJ9xZCl2m5NZAvRZBQ8kZCpZAW3ZBdZAZBfZC7ZAZBqZBmZD"
X_CONSUMER_KEY = "xvz1evFS4wEEPTGEFPHBog"
X_CONSUMER_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"
X_ACCESS_TOKEN = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
X_ACCESS_SECRET = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"
VK_TOKEN = "vk1.a.Qx7Ld9Rk2Mn4Pp6Tt8Vv0Xx2Zz4Bb6Dd8Ff0Hh2Jj4Ll6Nn8Pp0Rr2Tt4Vv6Xx8"
WEBHOOK_SECRET = "whsec_8d1c4f7a2b9e6053c7d1a4f8e2b6c9d0"
INSTAGRAM_TOKEN = "IGQWRPa1ZAhY3J5dGxqT2ZAtNl9xS0VzRkZAhUmZAyV0ZAGRnZAoZD"
PINTEREST_TOKEN = "pina_AMAWQ4YWACDKQAAGAAAKSDWZ3IRSPDYBQBIQCYJ7GJP5SZ3QZ"
#: The public image URL the Instagram and Pinterest fakes accept (they cannot fetch it here).
PUBLIC_IMAGE_URL = "https://images.example.com/cards/launch.jpg"
ALL_SECRETS = [INSTAGRAM_TOKEN, PINTEREST_TOKEN, MASTODON_TOKEN, BLUESKY_APP_PASSWORD, TELEGRAM_TOKEN, LINKEDIN_TOKEN,
               FACEBOOK_TOKEN, THREADS_TOKEN, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET,
               VK_TOKEN, WEBHOOK_SECRET]


def is_image(data: bytes) -> bool:
    """Whether ``data`` starts like a JPEG, PNG, GIF or WebP file (what networks sniff)."""
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP")


class NetworkFake(FakeServer):
    """A fake network: ``posts`` holds what it published."""

    def __init__(self) -> None:
        super().__init__()
        self.posts: list[dict] = []
        self.ids = itertools.count(1)


class FakeMastodon(NetworkFake):
    """/api/v1/statuses with Idempotency-Key, /api/v2/media, /api/v2/instance."""

    max_characters = 500

    def __init__(self) -> None:
        super().__init__()
        self.by_key: dict[str, dict] = {}
        self.media_ids: list[str] = []

    def route(self, r: Recorded) -> Reply:
        if r.path == "/api/v2/instance":
            return Reply(body={"domain": "mastodon.example", "configuration": {"statuses": {
                "max_characters": self.max_characters, "max_media_attachments": 4,
                "characters_reserved_per_url": 23}}})
        if r.header("Authorization") != f"Bearer {MASTODON_TOKEN}":
            return Reply(401, {"error": "The access token is invalid"})
        if r.path == "/api/v1/accounts/verify_credentials":
            return Reply(body={"id": "1", "username": "smo", "acct": "smo"})
        if r.path == "/api/v2/media" and r.method == "POST":
            media_id = str(100 + next(self.ids))
            self.media_ids.append(media_id)
            return Reply(202, {"id": media_id, "type": "image", "url": None,
                               "description": r.form.get("description")})
        if r.path == "/api/v1/statuses" and r.method == "POST":
            key = r.header("Idempotency-Key")
            if key and key in self.by_key:
                return Reply(body=self.by_key[key])
            if not (r.json or {}).get("status"):
                return Reply(422, {"error": "Validation failed: Text can't be blank"})
            status_id = str(109_000_000 + next(self.ids))
            status = {"id": status_id, "url": f"https://mastodon.example/@smo/{status_id}",
                      "content": f"<p>{r.json['status']}</p>", "visibility": r.json.get("visibility"),
                      "media_attachments": [{"id": m} for m in r.json.get("media_ids", [])]}
            self.posts.append(r.json)
            if key:
                self.by_key[key] = status
            return Reply(body=status)
        return super().route(r)


class FakeBluesky(NetworkFake):
    """createSession/refreshSession/getSession, uploadBlob, createRecord with rkey, getRecord."""

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, dict] = {}
        self.sessions = 0
        self.access = ""
        self.refresh = ""
        self.expired: set[str] = set()

    def expire_access_token(self) -> None:
        """The current access token now answers ExpiredToken (as after ~2 hours)."""
        self.expired.add(self.access)

    def _new_session(self) -> dict:
        self.sessions += 1
        self.access = f"eyJ.access.{self.sessions}"
        self.refresh = f"eyJ.refresh.{self.sessions}"
        return {"accessJwt": self.access, "refreshJwt": self.refresh, "handle": BLUESKY_HANDLE,
                "did": BLUESKY_DID, "active": True}

    def route(self, r: Recorded) -> Reply:
        nsid = r.path.removeprefix("/xrpc/")
        if nsid == "com.atproto.server.createSession":
            body = r.json or {}
            if (body.get("identifier"), body.get("password")) != (BLUESKY_HANDLE, BLUESKY_APP_PASSWORD):
                return Reply(401, {"error": "AuthenticationRequired",
                                   "message": "Invalid identifier or password"})
            return Reply(body=self._new_session())
        if nsid == "com.atproto.server.refreshSession":
            if r.header("Authorization") != f"Bearer {self.refresh}":
                return Reply(400, {"error": "ExpiredToken", "message": "Token has expired"})
            return Reply(body=self._new_session())
        token = (r.header("Authorization") or "").removeprefix("Bearer ")
        if token in self.expired:
            return Reply(400, {"error": "ExpiredToken", "message": "Token has expired"})
        if token != self.access:
            return Reply(401, {"error": "AuthenticationRequired", "message": "Invalid token"})
        if nsid == "com.atproto.server.getSession":
            return Reply(body={"handle": BLUESKY_HANDLE, "did": BLUESKY_DID})
        if nsid == "com.atproto.repo.uploadBlob":
            if len(r.body) > 1_000_000:
                return Reply(400, {"error": "BlobTooLarge", "message": "This file is too large."})
            return Reply(body={"blob": {"$type": "blob", "ref": {"$link": "bafkrei" + hashlib.sha256(
                r.body).hexdigest()[:40]}, "mimeType": r.header("Content-Type"), "size": len(r.body)}})
        if nsid == "com.atproto.repo.createRecord":
            body = r.json
            rkey = body.get("rkey") or f"3l{next(self.ids):011d}"
            if not re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", rkey):
                return Reply(400, {"error": "InvalidRequest", "message": "Invalid TID"})
            if rkey in self.records:
                return Reply(400, {"error": "InvalidRequest",
                                   "message": f"Record already exists: {rkey}"})
            record = body["record"]
            if len(record["text"]) > 3000:
                return Reply(400, {"error": "InvalidRequest",
                                   "message": "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"})
            uri = f"at://{body['repo']}/{body['collection']}/{rkey}"
            self.records[rkey] = {"uri": uri, "cid": "bafyrei" + rkey, "value": record}
            self.posts.append(record)
            return Reply(body={"uri": uri, "cid": "bafyrei" + rkey,
                               "commit": {"cid": "bafyreicommit", "rev": rkey},
                               "validationStatus": "valid"})
        if nsid == "com.atproto.repo.getRecord":
            rkey = r.query.get("rkey", [""])[0]
            if rkey not in self.records:
                return Reply(400, {"error": "RecordNotFound", "message": f"Could not locate record: {rkey}"})
            return Reply(body=self.records[rkey])
        return super().route(r)


class FakeTelegram(NetworkFake):
    """/bot<token>/sendMessage, sendPhoto, getMe, getChat."""

    chat = {"id": -1001234567890, "title": "SMO Demo", "username": "smo_demo", "type": "channel"}

    def route(self, r: Recorded) -> Reply:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", r.path)
        if not match:
            return super().route(r)
        token, method = match.groups()
        if token != TELEGRAM_TOKEN:
            return Reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        args = r.json or r.form
        if method == "getMe":
            return Reply(body={"ok": True, "result": {"id": 7123456789, "is_bot": True,
                                                       "username": "smo_demo_bot"}})
        if method == "getChat":
            return Reply(body={"ok": True, "result": self.chat})
        if method in ("sendMessage", "sendPhoto"):
            if str(args.get("chat_id")) not in ("@smo_demo", str(self.chat["id"])):
                return Reply(400, {"ok": False, "error_code": 400,
                                   "description": "Bad Request: chat not found"})
            message = {"message_id": next(self.ids), "chat": self.chat, "date": int(time.time())}
            if method == "sendPhoto":
                message["caption"] = args.get("caption")
                message["photo"] = [{"file_id": "AgAC", "width": 1200, "height": 630}]
            else:
                message["text"] = args.get("text")
            self.posts.append({"method": method, **args})
            return Reply(body={"ok": True, "result": message})
        return Reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})


class FakeLinkedIn(NetworkFake):
    """/rest/posts (201, id in x-restli-id), /rest/images?action=initializeUpload, the upload
    URL it hands out (PUT), /v2/userinfo."""

    def __init__(self) -> None:
        super().__init__()
        self.images: dict[str, dict] = {}  # image URN -> {"owner", "data" (None until PUT)}

    def route(self, r: Recorded) -> Reply:
        if r.header("Authorization") != f"Bearer {LINKEDIN_TOKEN}":
            return Reply(401, {"status": 401, "serviceErrorCode": 65600,
                               "code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token"})
        if r.path == "/v2/userinfo":
            return Reply(body={"sub": "abc", "name": "SMO Demo"})
        upload = re.fullmatch(r"/dms-uploads/(\w+)", r.path)
        if upload and r.method == "PUT":
            urn = f"urn:li:image:{upload.group(1)}"
            if urn not in self.images:
                return Reply(404, {"status": 404, "message": "Upload URL not found"})
            if not is_image(r.body):
                return Reply(400, {"status": 400, "message": "Uploaded file is not a supported "
                                                             "image format"})
            self.images[urn]["data"] = r.body
            return Reply(201, b"")
        if r.path.startswith("/rest/") and not re.fullmatch(
                r"\d{6}", r.header("LinkedIn-Version") or ""):
            return Reply(400, {"status": 400, "code": "VERSION_MISSING",
                               "message": "A version must be present"})
        if r.path == "/rest/images" and r.method == "POST":
            owner = ((r.json or {}).get("initializeUploadRequest") or {}).get("owner", "")
            if r.query.get("action") != ["initializeUpload"] or not re.fullmatch(
                    r"urn:li:(person|organization):\w+", owner):
                return Reply(400, {"status": 400, "code": "MISSING_REQUIRED_FIELD",
                                   "message": "Field /initializeUploadRequest/owner is required"})
            image_id = f"D4E10AQ{next(self.ids):06d}"
            urn = f"urn:li:image:{image_id}"
            self.images[urn] = {"owner": owner, "data": None}
            return Reply(body={"value": {"uploadUrlExpiresAt": int(time.time() * 1000) + 86_400_000,
                                         "uploadUrl": f"{self.url}/dms-uploads/{image_id}",
                                         "image": urn}})
        if r.path == "/rest/posts" and r.method == "POST":
            media = (r.json.get("content") or {}).get("media")
            if media is not None:
                image = self.images.get(media.get("id"))
                if image is None or image["data"] is None:
                    return Reply(400, {"status": 400, "message": f"Image {media.get('id')} "
                                                                 "was not uploaded"})
                if image["owner"] != r.json.get("author"):
                    return Reply(422, {"status": 422, "code": "INVALID_CONTENT_OWNERSHIP",
                                       "message": "Content(s) you provided must be owned by "
                                                  "post author"})
            if r.json.get("commentary") in [p["commentary"] for p in self.posts]:
                return Reply(422, {"status": 422, "message": "Content is a duplicate of urn:li:share:1"})
            self.posts.append(r.json)
            return Reply(201, b"", {"x-restli-id": f"urn:li:share:{7000 + next(self.ids)}"})
        return super().route(r)


class FakeGraph(NetworkFake):
    """Graph API error shape shared by Facebook and Threads."""

    token = ""

    def token_error(self, r: Recorded) -> Reply | None:
        supplied = r.form.get("access_token") or r.query.get("access_token", [""])[0]
        if supplied != self.token:
            return Reply(400, {"error": {"message": "Invalid OAuth access token - Cannot parse access token",
                                         "type": "OAuthException", "code": 190,
                                         "fbtrace_id": "AbCdEf"}})
        return None


class FakeFacebook(FakeGraph):
    """/{version}/{page}/feed, /{version}/{page}/photos (url or multipart source) and /me."""

    token = FACEBOOK_TOKEN

    def __init__(self) -> None:
        super().__init__()
        self.photos: dict[str, bytes] = {}  # photo id -> the uploaded bytes

    def route(self, r: Recorded) -> Reply:
        error = self.token_error(r)
        if error:
            return error
        if re.fullmatch(r"/v\d+\.\d+/me", r.path):
            return Reply(body={"id": "1234567890", "name": "SMO Demo Page"})
        match = re.fullmatch(r"/v\d+\.\d+/(\d+)/feed", r.path)
        if match and r.method == "POST":
            self.posts.append(r.form)
            return Reply(body={"id": f"{match.group(1)}_{900 + next(self.ids)}"})
        match = re.fullmatch(r"/v\d+\.\d+/(\d+)/photos", r.path)
        if match and r.method == "POST":
            # A single photo is published as it is uploaded: a file ("source") or a "url".
            _type, data = r.files.get("source", ("", b""))
            if not data and not re.match(r"https?://", r.form.get("url", "")):
                return Reply(400, {"error": {"message": "(#324) Requires upload file",
                                             "type": "OAuthException", "code": 324}})
            if data and not is_image(data):
                return Reply(400, {"error": {"message": "(#324) Missing or invalid image file",
                                             "type": "OAuthException", "code": 324}})
            photo_id = str(500 + next(self.ids))
            self.photos[photo_id] = data
            post_id = f"{match.group(1)}_{900 + next(self.ids)}"
            self.posts.append({**r.form, "photo_id": photo_id, "post_id": post_id})
            return Reply(body={"id": photo_id, "post_id": post_id})
        return super().route(r)


class FakeThreads(FakeGraph):
    """/{user}/threads (container), /{user}/threads_publish, /{media}?fields=permalink, /me."""

    token = THREADS_TOKEN

    def __init__(self) -> None:
        super().__init__()
        self.containers: dict[str, dict] = {}
        self.status: dict[str, str] = {}  # container -> FINISHED, ERROR, PUBLISHED
        self.images: dict[str, bytes] = {}  # container -> the image fetched from image_url
        self.published: dict[str, str] = {}

    def create_container(self, form: dict) -> Reply:
        """Check the parameters as documented; an IMAGE is fetched from its URL, as Threads does
        (its container then ends FINISHED, or ERROR when the URL gives no image)."""
        media_type = form.get("media_type")
        if media_type not in ("TEXT", "IMAGE", "VIDEO"):
            return Reply(400, {"error": {"message": "Param media_type must be one of {TEXT, IMAGE, "
                                                    "VIDEO}", "code": 100}})
        if media_type == "TEXT" and not form.get("text"):
            return Reply(400, {"error": {"message": "Param text is required", "code": 100}})
        if media_type != "TEXT" and "link_attachment" in form:
            return Reply(400, {"error": {"message": "Param link_attachment is only available "
                                                    "for TEXT posts", "code": 100}})
        container = str(17_800_000 + next(self.ids))
        self.status[container] = "FINISHED"
        if media_type == "IMAGE":
            url = form.get("image_url", "")
            if not re.match(r"https?://", url):
                return Reply(400, {"error": {"message": "Param image_url is required for "
                                                        "media_type=IMAGE", "code": 100}})
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    self.images[container] = answer.read()
            except OSError:
                self.images[container] = b""
            if not is_image(self.images[container]):
                self.status[container] = "ERROR"
        self.containers[container] = form
        return Reply(body={"id": container})

    def route(self, r: Recorded) -> Reply:
        error = self.token_error(r)
        if error:
            return error
        if re.fullmatch(r"/v1\.0/me", r.path):
            return Reply(body={"id": "1789", "username": "smo_demo"})
        match = re.fullmatch(r"/v1\.0/(\d+)/(threads|threads_publish)", r.path)
        if match and r.method == "POST":
            if match.group(2) == "threads":
                return self.create_container(r.form)
            container = r.form.get("creation_id")
            if container not in self.containers:
                return Reply(400, {"error": {"message": "Invalid parameter", "code": 100}})
            if self.status[container] != "FINISHED":
                return Reply(400, {"error": {"message": "Media Not Ready For Publishing",
                                             "code": 9007, "error_subcode": 2207027}})
            self.status[container] = "PUBLISHED"
            media = str(18_000_000 + next(self.ids))
            self.published[media] = container
            self.posts.append(self.containers[container])
            return Reply(body={"id": media})
        match = re.fullmatch(r"/v1\.0/(\d+)", r.path)
        if match and match.group(1) in self.containers:
            status = self.status[match.group(1)]
            answer = {"id": match.group(1), "status": status}
            if status == "ERROR":
                answer["error_message"] = "UNKNOWN"
            return Reply(body=answer)
        if match and match.group(1) in self.published:
            return Reply(body={"id": match.group(1),
                               "permalink": f"https://www.threads.net/@smo_demo/post/C{match.group(1)}"})
        return super().route(r)


class FakeInstagram(FakeGraph):
    """/{ig-user}/content_publishing_limit, /{ig-user}/media, /{container}?fields=status_code,
    /{ig-user}/media_publish, /{media}?fields=permalink, /{media}/comments, /{ig-user}."""

    token = INSTAGRAM_TOKEN
    user = "17841400000000001"

    def __init__(self) -> None:
        super().__init__()
        self.quota_usage, self.quota_total = 0, 25
        #: The status_code a new container ends in: FINISHED, or ERROR for an image refused.
        self.container_outcome = "FINISHED"
        #: Status checks answered IN_PROGRESS before a container reaches its outcome.
        self.in_progress_checks = 0
        self.containers: dict[str, dict] = {}
        self.checks: dict[str, int] = {}
        self.published: dict[str, str] = {}
        self.comments: list[tuple[str, str]] = []

    def status_of(self, container: str) -> str:
        if container in self.published.values():
            return "PUBLISHED"
        self.checks[container] = self.checks.get(container, 0) + 1
        if self.checks[container] <= self.in_progress_checks:
            return "IN_PROGRESS"
        return self.containers[container]["_outcome"]

    def route(self, r: Recorded) -> Reply:
        error = self.token_error(r)
        if error:
            return error
        prefix = r"/v21\.0/"
        if re.fullmatch(prefix + self.user, r.path) and r.method == "GET":
            return Reply(body={"id": self.user, "username": "smo_demo"})
        if re.fullmatch(prefix + self.user + "/content_publishing_limit", r.path):
            if r.query.get("fields") != ["quota_usage,config"]:
                return Reply(400, {"error": {"message": "Missing fields", "code": 100}})
            return Reply(body={"data": [{"quota_usage": self.quota_usage, "config": {
                "quota_total": self.quota_total, "quota_duration": 86400}}]})
        if re.fullmatch(prefix + self.user + "/media", r.path) and r.method == "POST":
            form = r.form
            unknown = set(form) - {"image_url", "caption", "alt_text", "access_token"}
            if unknown or not re.match(r"https://", form.get("image_url", "")):
                return Reply(400, {"error": {"message": "Invalid parameter", "code": 100,
                                             "error_user_msg": f"Unknown or missing: {unknown}"}})
            if len(form.get("caption", "")) > 2200:
                return Reply(400, {"error": {"message": "The caption is too long", "code": 100}})
            container = str(17_900_000 + next(self.ids))
            self.containers[container] = {**form, "_outcome": self.container_outcome}
            return Reply(body={"id": container})
        if re.fullmatch(prefix + self.user + "/media_publish", r.path) and r.method == "POST":
            container = r.form.get("creation_id", "")
            if container not in self.containers or container in self.published.values():
                return Reply(400, {"error": {"message": "Invalid parameter", "code": 100}})
            if self.checks.get(container, 0) <= self.in_progress_checks or \
                    self.containers[container]["_outcome"] != "FINISHED":
                return Reply(400, {"error": {"message": "Media ID is not available", "code": 9007,
                                             "error_subcode": 2207027}})
            if self.quota_usage >= self.quota_total:
                return Reply(400, {"error": {"message": "Application request limit reached",
                                             "code": 9, "error_subcode": 2207042}})
            self.quota_usage += 1
            media = str(18_100_000 + next(self.ids))
            self.published[media] = container
            self.posts.append({k: v for k, v in self.containers[container].items()
                               if k not in ("access_token", "_outcome")})
            return Reply(body={"id": media})
        match = re.fullmatch(prefix + r"(\d+)/comments", r.path)
        if match and r.method == "POST" and match.group(1) in self.published:
            if not r.form.get("message"):
                return Reply(400, {"error": {"message": "Param message is required", "code": 100}})
            self.comments.append((match.group(1), r.form["message"]))
            return Reply(body={"id": str(17_950_000 + next(self.ids))})
        match = re.fullmatch(prefix + r"(\d+)", r.path)
        if match and match.group(1) in self.containers and r.method == "GET":
            return Reply(body={"id": match.group(1), "status_code": self.status_of(match.group(1)),
                               **({"status": "Error: 2207026"} if self.containers[
                                   match.group(1)]["_outcome"] == "ERROR" else {})})
        if match and match.group(1) in self.published:
            return Reply(body={"id": match.group(1),
                               "permalink": f"https://www.instagram.com/p/C{match.group(1)}/"})
        return super().route(r)


class FakePinterest(NetworkFake):
    """/v5/pins (bearer token) and /v5/user_account, with Pinterest's {code, message} errors."""

    fields = {"board_id", "board_section_id", "title", "description", "link", "alt_text",
              "media_source"}

    def route(self, r: Recorded) -> Reply:
        if r.header("Authorization") != f"Bearer {PINTEREST_TOKEN}":
            return Reply(401, {"code": 2, "message": "Authentication failed."})
        if r.path == "/v5/user_account" and r.method == "GET":
            return Reply(body={"username": "smo_demo", "account_type": "BUSINESS"})
        if r.path == "/v5/pins" and r.method == "POST":
            pin = r.json or {}
            limits = {"title": 100, "description": 500, "link": 2048, "alt_text": 500}
            problems = [f"{name} is longer than {n}" for name, n in limits.items()
                        if len(pin.get(name, "")) > n]
            problems += [f"unknown field {name}" for name in set(pin) - self.fields]
            source = pin.get("media_source") or {}
            if source.get("source_type") != "image_url" or not re.match(
                    r"https://", source.get("url", "")):
                problems.append("media_source must be an image_url with an https url")
            if pin.get("board_id") != "549755885175":
                return Reply(404, {"code": 3, "message": "Board not found."})
            if problems:
                return Reply(400, {"code": 1, "message": "; ".join(problems)})
            pin_id = str(813_000_000_000 + next(self.ids))
            self.posts.append(pin)
            return Reply(201, {"id": pin_id, "board_id": pin["board_id"], **pin})
        return super().route(r)


class FakeSite(FakeServer):
    """The site serving media files: ``files`` maps a path to (content type, bytes)."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, tuple[str, bytes]] = {}

    def route(self, r: Recorded) -> Reply:
        if r.method == "GET" and r.path in self.files:
            content_type, data = self.files[r.path]
            return Reply(body=data, headers={"Content-Type": content_type})
        return super().route(r)


class FakeX(NetworkFake):
    """/2/tweets, /2/media/upload, /2/media/metadata and /2/users/me, verifying the OAuth 1.0a
    HMAC-SHA1 signature of every request."""

    def __init__(self) -> None:
        super().__init__()
        self.media: dict[str, dict] = {}  # media id -> {"data", "alt_text"}

    def verify(self, r: Recorded) -> bool:
        authorization = r.header("Authorization") or ""
        if not authorization.startswith("OAuth "):
            return False
        uri = f"{self.url}{r.path}"
        if r.query:
            uri += "?" + "&".join(f"{k}={v[0]}" for k, v in r.query.items())
        request = OAuthRequest(uri, r.method, None, {"Authorization": authorization})
        params = dict(oauth_signature.collect_parameters(headers={"Authorization": authorization},
                                                         exclude_oauth_signature=False))
        request.params = oauth_signature.collect_parameters(
            uri_query=uri.partition("?")[2], headers={"Authorization": authorization})
        request.signature = params.get("oauth_signature")
        return (params.get("oauth_consumer_key") == X_CONSUMER_KEY
                and params.get("oauth_token") == X_ACCESS_TOKEN
                and oauth_signature.verify_hmac_sha1(request, X_CONSUMER_SECRET, X_ACCESS_SECRET))

    def route(self, r: Recorded) -> Reply:
        if not self.verify(r):
            return Reply(401, {"title": "Unauthorized", "type": "about:blank", "status": 401,
                               "detail": "Unauthorized"})
        if r.path == "/2/users/me":
            return Reply(body={"data": {"id": "2244994945", "name": "SMO", "username": "smo_demo"}})
        if r.path == "/2/media/upload" and r.method == "POST":
            _type, data = r.files.get("media", ("", b""))
            if r.form.get("media_category") not in ("tweet_image", "tweet_gif", "tweet_video"):
                return Reply(400, {"title": "Invalid Request", "status": 400,
                                   "detail": "media_category is required", "type": "about:blank"})
            if not is_image(data):
                return Reply(400, {"title": "Invalid Request", "status": 400, "type": "about:blank",
                                   "detail": "media type unrecognized."})
            media_id = str(1_900_000_000_000_000_000 + next(self.ids))
            self.media[media_id] = {"data": data, "alt_text": None}
            return Reply(body={"data": {"id": media_id, "media_key": f"3_{media_id}",
                                        "size": len(data), "expires_after_secs": 86400}})
        if r.path == "/2/media/metadata" and r.method == "POST":
            body = r.json or {}
            text = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
            if body.get("id") not in self.media or text is None or len(text) > 1000:
                return Reply(400, {"title": "Invalid Request", "status": 400, "type": "about:blank",
                                   "detail": "One or more parameters to your request was invalid."})
            self.media[body["id"]]["alt_text"] = text
            return Reply(body={"data": {"id": body["id"], "associated_metadata": body["metadata"]}})
        if r.path == "/2/tweets" and r.method == "POST":
            media_ids = ((r.json or {}).get("media") or {}).get("media_ids", [])
            if any(media_id not in self.media for media_id in media_ids):
                return Reply(400, {"title": "Invalid Request", "status": 400, "type": "about:blank",
                                   "detail": "Your media IDs are invalid."})
            text = (r.json or {}).get("text", "")
            if text in [p["text"] for p in self.posts]:
                return Reply(403, {"detail": "You are not allowed to create a Tweet with duplicate content.",
                                   "type": "about:blank", "title": "Forbidden", "status": 403})
            self.posts.append(r.json)
            post_id = str(1_800_000_000_000_000_000 + next(self.ids))
            return Reply(201, {"data": {"id": post_id, "text": text,
                                        "edit_history_tweet_ids": [post_id]}})
        return super().route(r)


class FakeVK(NetworkFake):
    """/method/wall.post (guid de-duplicates) and groups.getById; errors inside HTTP 200."""

    group_id = 123456

    def __init__(self) -> None:
        super().__init__()
        self.by_guid: dict[str, int] = {}
        self.uploads: dict[str, bytes] = {}  # hash -> bytes taken by the upload server
        self.photos: dict[str, bytes] = {}  # "photo{owner}_{id}" -> bytes of the saved photo

    def upload(self, r: Recorded) -> Reply:
        """The upload server: takes the multipart "photo", answers server/photo/hash (photo "[]"
        when it took nothing), no token involved."""
        _type, data = r.files.get("photo", ("", b""))
        if not is_image(data):
            return Reply(body={"server": 622624, "photo": "[]", "hash": "0" * 32})
        digest = hashlib.md5(data).hexdigest()
        self.uploads[digest] = data
        photo = json.dumps([{"photo": f"{digest[:10]}:w", "sizes": [], "kid": digest}])
        return Reply(body={"server": 622624, "photo": photo, "hash": digest})

    def route(self, r: Recorded) -> Reply:
        args = r.form
        if r.path == "/upload/wall" and r.method == "POST":
            if r.query.get("gid") != [str(self.group_id)]:
                return Reply(body={"error": "invalid upload url"})
            return self.upload(r)
        if args.get("access_token") != VK_TOKEN:
            return Reply(200, {"error": {"error_code": 5, "error_msg":
                               "User authorization failed: invalid access_token (4).",
                               "request_params": [{"key": "method", "value": r.path}]}})
        if args.get("v") != "5.199":
            return Reply(200, {"error": {"error_code": 8, "error_msg": "Invalid request: v is required"}})
        if r.path == "/method/groups.getById":
            return Reply(body={"response": {"groups": [{"id": int(args["group_id"]),
                                                        "name": "SMO Demo"}], "profiles": []}})
        if r.path == "/method/photos.getWallUploadServer":
            if args.get("group_id") != str(self.group_id):
                return Reply(body={"error": {"error_code": 100, "error_msg":
                                   "One of the parameters specified was missing or invalid: "
                                   "group_id"}})
            return Reply(body={"response": {"upload_url": f"{self.url}/upload/wall?gid="
                                                          f"{self.group_id}",
                                            "album_id": -14, "user_id": 0}})
        if r.path == "/method/photos.saveWallPhoto":
            photo, digest = args.get("photo", "[]"), args.get("hash", "")
            if (args.get("group_id") != str(self.group_id) or photo == "[]"
                    or digest not in self.uploads or args.get("server") != "622624"):
                return Reply(body={"error": {"error_code": 100, "error_msg":
                                   "One of the parameters specified was missing or invalid: "
                                   "photos_list is invalid"}})
            photo_id = 457_239_000 + next(self.ids)
            self.photos[f"photo-{self.group_id}_{photo_id}"] = self.uploads[digest]
            return Reply(body={"response": [{"id": photo_id, "owner_id": -self.group_id,
                                             "album_id": -14, "sizes": []}]})
        if r.path == "/method/wall.post":
            attachments = [a for a in args.get("attachments", "").split(",") if a]
            links = [a for a in attachments if re.match(r"https?://", a)]
            unknown = [a for a in attachments
                       if not re.match(r"https?://", a) and a not in self.photos]
            if unknown or len(links) > 1:
                return Reply(body={"error": {"error_code": 100, "error_msg":
                                   "One of the parameters specified was missing or invalid: "
                                   "attachments is invalid"}})
            guid = args.get("guid")
            if guid and guid in self.by_guid:
                return Reply(body={"response": {"post_id": self.by_guid[guid]}})
            post_id = 100 + next(self.ids)
            self.posts.append(args)
            if guid:
                self.by_guid[guid] = post_id
            return Reply(body={"response": {"post_id": post_id}})
        return Reply(200, {"error": {"error_code": 3, "error_msg": "Unknown method passed"}})


class FakeWebhook(NetworkFake):
    """A receiver checking the HMAC signature; ``deduplicate`` drops a repeated X-SMO-Delivery."""

    deduplicate = False

    def __init__(self) -> None:
        super().__init__()
        self.by_delivery: dict[str, dict] = {}

    def route(self, r: Recorded) -> Reply:
        timestamp = r.header("X-SMO-Timestamp") or ""
        expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + r.body,
                                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, r.header("X-SMO-Signature") or ""):
            return Reply(401, {"message": "Bad signature"})
        delivery = r.header("X-SMO-Delivery")
        if self.deduplicate and delivery in self.by_delivery:
            return Reply(body=self.by_delivery[delivery])
        self.posts.append(r.json)
        answer = {"id": f"run-{next(self.ids)}", "url": f"https://n8n.example/run/{len(self.posts)}"}
        self.by_delivery[delivery] = answer
        return Reply(body=answer)


#: Channel settings for each fake: {alias: (fake class, BACKEND, OPTIONS without API_URL)}.
CHANNELS = {
    "mastodon": (FakeMastodon, "wagtail_smo.providers.mastodon.MastodonProvider",
                 {"ACCESS_TOKEN": MASTODON_TOKEN}),
    "bluesky": (FakeBluesky, "wagtail_smo.providers.bluesky.BlueskyProvider",
                {"HANDLE": BLUESKY_HANDLE, "APP_PASSWORD": BLUESKY_APP_PASSWORD}),
    "telegram": (FakeTelegram, "wagtail_smo.providers.telegram.TelegramProvider",
                 {"BOT_TOKEN": TELEGRAM_TOKEN, "CHAT_ID": "@smo_demo"}),
    "linkedin": (FakeLinkedIn, "wagtail_smo.providers.linkedin.LinkedInProvider",
                 {"ACCESS_TOKEN": LINKEDIN_TOKEN, "AUTHOR": "urn:li:person:abc", "VERSION": "202511"}),
    "facebook": (FakeFacebook, "wagtail_smo.providers.facebook.FacebookProvider",
                 {"PAGE_ID": "1234567890", "PAGE_ACCESS_TOKEN": FACEBOOK_TOKEN}),
    "threads": (FakeThreads, "wagtail_smo.providers.threads.ThreadsProvider",
                {"USER_ID": "1789", "ACCESS_TOKEN": THREADS_TOKEN}),
    "x": (FakeX, "wagtail_smo.providers.x.XProvider",
          {"CONSUMER_KEY": X_CONSUMER_KEY, "CONSUMER_SECRET": X_CONSUMER_SECRET,
           "ACCESS_TOKEN": X_ACCESS_TOKEN, "ACCESS_TOKEN_SECRET": X_ACCESS_SECRET}),
    "vk": (FakeVK, "wagtail_smo.providers.vk.VKProvider",
           {"ACCESS_TOKEN": VK_TOKEN, "GROUP_ID": "123456"}),
    "instagram": (FakeInstagram, "wagtail_smo.providers.instagram.InstagramProvider",
                  {"USER_ID": FakeInstagram.user, "ACCESS_TOKEN": INSTAGRAM_TOKEN}),
    "pinterest": (FakePinterest, "wagtail_smo.providers.pinterest.PinterestProvider",
                  {"ACCESS_TOKEN": PINTEREST_TOKEN, "BOARD_ID": "549755885175"}),
    "webhook": (FakeWebhook, "wagtail_smo.providers.webhook.WebhookProvider",
                {"SECRET": WEBHOOK_SECRET}),
}


def channel_settings(alias: str, fake: NetworkFake, **options) -> dict:
    """The PROVIDERS entry for channel ``alias`` pointed at ``fake``."""
    _cls, backend, base = CHANNELS[alias]
    url_option = {"URL": fake.url + "/hook"} if alias == "webhook" else {"API_URL": fake.url}
    return {"BACKEND": backend, "OPTIONS": {**base, **url_option, "TIMEOUT": 2, **options}}
