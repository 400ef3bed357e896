#!/usr/bin/env python3
"""Builds the benchmark's GitHub push delivery and signs it.

Usage: make-payload.py <sample push.json> <out body file> <secret> [target bytes]

Starts from the octokit push sample (a tag deletion), turns it into a push of several commits
to refs/heads/main of octo/bench, writes it as compact JSON (what GitHub sends) and prints
    size=<bytes>
    commits=<n>
    signature=sha256=<hex HMAC-SHA256 of the exact body bytes>
The delivery id is a header, not part of the body, so one signed body serves every request.
"""
import hashlib
import hmac
import json
import random
import sys

MESSAGES = [
    "Fix NPE when the build config has no steps",
    "Bump jackson-databind from 2.17.1 to 2.17.2",
    "Retry registry pushes with exponential back-off",
    "Add health check timeout to the deploy step",
    "Refactor webhook signature verification into its own class",
    "Document the rollback procedure in the README",
    "Cache service lookups for five seconds",
    "Use constant-time comparison for API tokens",
    "Log the delivery id with every rejected request",
    "Reduce Docker image size by using a JRE base image",
    "Handle GitLab tag pushes without a checkout_sha",
    "Make the queue size configurable",
]
FILES = [
    "src/main/java/dev/example/app/BuildRunner.java",
    "src/main/java/dev/example/app/DeployStep.java",
    "src/main/resources/application.properties",
    "src/test/java/dev/example/app/BuildRunnerTest.java",
    "docs/operations.md",
    "pom.xml",
    "Dockerfile",
    "README.md",
    ".github/workflows/ci.yml",
]
AUTHORS = [
    ("Mona Lisa Octocat", "mona@github.example", "monalisa"),
    ("Hubot", "hubot@github.example", "hubot"),
    ("Codertocat", "21031067+Codertocat@users.noreply.github.com", "Codertocat"),
]


def sha(rng):
    return "%040x" % rng.getrandbits(160)


def commit(rng, repo_url, n):
    name, email, login = AUTHORS[n % len(AUTHORS)]
    cid = sha(rng)
    files = rng.sample(FILES, 4)
    person = {"name": name, "email": email, "username": login}
    return {
        "id": cid,
        "tree_id": sha(rng),
        "distinct": True,
        "message": MESSAGES[n % len(MESSAGES)] + "\n\nSigned-off-by: " + name + " <" + email + ">",
        "timestamp": "2024-05-14T10:%02d:%02d+02:00" % (n % 60, (n * 7) % 60),
        "url": repo_url + "/commit/" + cid,
        "author": person,
        "committer": {"name": "GitHub", "email": "noreply@github.com", "username": "web-flow"},
        "added": files[:1],
        "removed": [],
        "modified": files[1:],
    }


def main():
    sample_path, out_path, secret = sys.argv[1], sys.argv[2], sys.argv[3]
    target = int(sys.argv[4]) if len(sys.argv) > 4 else 8192
    with open(sample_path, "rb") as f:
        text = f.read().decode("utf-8")
    # the benchmark's service builds https://github.com/octo/bench
    text = text.replace("Codertocat/Hello-World", "octo/bench")
    p = json.loads(text)
    repo_url = p["repository"]["html_url"]
    rng = random.Random(20240514)
    before = sha(rng)
    p["ref"] = "refs/heads/main"
    p["before"] = before
    p["created"] = False
    p["deleted"] = False
    p["forced"] = False
    p["base_ref"] = None
    p["commits"] = []

    def finish():
        head = p["commits"][-1]
        p["after"] = head["id"]
        p["head_commit"] = head
        p["compare"] = repo_url + "/compare/" + before[:12] + "..." + head["id"][:12]
        return json.dumps(p, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    p["commits"].append(commit(rng, repo_url, 0))
    body = finish()
    while True:
        p["commits"].append(commit(rng, repo_url, len(p["commits"])))
        candidate = finish()
        if len(candidate) > target:
            p["commits"].pop()
            body = finish()
            break
        body = candidate
    with open(out_path, "wb") as f:
        f.write(body)
    print("size=%d" % len(body))
    print("commits=%d" % len(p["commits"]))
    print("signature=sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest())


if __name__ == "__main__":
    main()
