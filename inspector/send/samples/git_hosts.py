"""GitHub's, GitLab's and Bitbucket's push events, whole, as each one's documentation shows
them: a commit's sha, the compare link and the commit URLs are this delivery's own."""

from __future__ import annotations

from typing import Any

from .template import ISO, SECONDS, UUID, Fresh, Now, Sample, Text

# a push of one commit: its sha and its parent's, one pair per delivery
HEAD, PARENT = Fresh(length=40, name="head"), Fresh(length=40, name="parent")
TREE = Fresh(length=40, name="tree")

# docs.github.com/en/webhooks/webhook-events-and-payloads#push; @octokit/webhooks-examples
GITHUB_USER = {
    "login": "Codertocat", "id": 21031067, "node_id": "MDQ6VXNlcjIxMDMxMDY3",
    "avatar_url": "https://avatars1.githubusercontent.com/u/21031067?v=4", "gravatar_id": "",
    "url": "https://api.github.com/users/Codertocat", "html_url": "https://github.com/Codertocat",
    **{f"{name}_url": f"https://api.github.com/users/Codertocat/{path}" for name, path in (
        ("followers", "followers"), ("following", "following{/other_user}"),
        ("gists", "gists{/gist_id}"), ("starred", "starred{/owner}{/repo}"),
        ("subscriptions", "subscriptions"), ("organizations", "orgs"), ("repos", "repos"),
        ("events", "events{/privacy}"), ("received_events", "received_events"))},
    "type": "User", "user_view_type": "public", "site_admin": False}
GITHUB_REPO_API = "https://api.github.com/repos/Codertocat/Hello-World"
GITHUB_REPO_URLS = {f"{name}_url": f"{GITHUB_REPO_API}{path}" for name, path in (
    ("forks", "/forks"), ("keys", "/keys{/key_id}"),
    ("collaborators", "/collaborators{/collaborator}"), ("teams", "/teams"),
    ("hooks", "/hooks"), ("issue_events", "/issues/events{/number}"), ("events", "/events"),
    ("assignees", "/assignees{/user}"), ("branches", "/branches{/branch}"), ("tags", "/tags"),
    ("blobs", "/git/blobs{/sha}"), ("git_tags", "/git/tags{/sha}"),
    ("git_refs", "/git/refs{/sha}"), ("trees", "/git/trees{/sha}"),
    ("statuses", "/statuses/{sha}"), ("languages", "/languages"),
    ("stargazers", "/stargazers"), ("contributors", "/contributors"),
    ("subscribers", "/subscribers"), ("subscription", "/subscription"),
    ("commits", "/commits{/sha}"), ("git_commits", "/git/commits{/sha}"),
    ("comments", "/comments{/number}"), ("issue_comment", "/issues/comments{/number}"),
    ("contents", "/contents/{+path}"), ("compare", "/compare/{base}...{head}"),
    ("merges", "/merges"), ("archive", "/{archive_format}{/ref}"),
    ("downloads", "/downloads"), ("issues", "/issues{/number}"),
    ("pulls", "/pulls{/number}"), ("milestones", "/milestones{/number}"),
    ("notifications", "/notifications{?since,all,participating}"),
    ("labels", "/labels{/name}"), ("releases", "/releases{/id}"),
    ("deployments", "/deployments"))}
# a push event's repository writes created_at and pushed_at as Unix seconds
GITHUB_REPOSITORY: dict[str, Any] = {
    "id": 186853002, "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", "name": "Hello-World",
    "full_name": "Codertocat/Hello-World", "private": False,
    "owner": {"name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com",
              **GITHUB_USER},
    "html_url": "https://github.com/Codertocat/Hello-World", "description": None, "fork": False,
    "url": "https://github.com/Codertocat/Hello-World", **GITHUB_REPO_URLS,
    "created_at": 1557933565, "updated_at": "2026-11-30T09:12:41Z", "pushed_at": SECONDS,
    "git_url": "git://github.com/Codertocat/Hello-World.git",
    "ssh_url": "git@github.com:Codertocat/Hello-World.git",
    "clone_url": "https://github.com/Codertocat/Hello-World.git",
    "svn_url": "https://github.com/Codertocat/Hello-World", "homepage": None, "size": 128,
    "stargazers_count": 3, "watchers_count": 3, "language": "Ruby", "has_issues": True,
    "has_projects": True, "has_downloads": True, "has_wiki": True, "has_pages": False,
    "has_discussions": False, "forks_count": 1, "mirror_url": None, "archived": False,
    "disabled": False, "open_issues_count": 2, "license": None, "allow_forking": True,
    "is_template": False, "web_commit_signoff_required": False, "topics": [],
    "visibility": "public", "forks": 1, "open_issues": 2, "watchers": 3,
    "default_branch": "main", "stargazers": 3, "master_branch": "main"}
GITHUB_AUTHOR = {"name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com",
                 "username": "Codertocat"}
GITHUB_COMMIT = {
    "id": HEAD, "tree_id": TREE, "distinct": True, "message": "Fix the login redirect",
    "timestamp": ISO, "url": Text("https://github.com/Codertocat/Hello-World/commit/{0}", HEAD),
    "author": GITHUB_AUTHOR, "committer": {"name": "GitHub", "email": "noreply@github.com",
                                           "username": "web-flow"},
    "added": [], "removed": [], "modified": ["app/controllers/sessions_controller.rb"]}
GITHUB = Sample("github", {"push": {
    "ref": "refs/heads/main", "before": PARENT, "after": HEAD,
    "repository": GITHUB_REPOSITORY,
    "pusher": {"name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com"},
    "sender": GITHUB_USER, "created": False, "deleted": False, "forced": False,
    "base_ref": None,
    "compare": Text("https://github.com/Codertocat/Hello-World/compare/{0:.12}...{1:.12}",
                    PARENT, HEAD),
    "commits": [GITHUB_COMMIT], "head_commit": GITHUB_COMMIT}},
    # docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers: X-GitHub-Delivery
    # a GUID, User-Agent GitHub-Hookshot/ and a short hex (their example: 044aadd)
    delivery_id=UUID, user_agent="GitHub-Hookshot/044aadd")

# docs.gitlab.com/user/project/integrations/webhook_events/#push-events
GITLAB_PROJECT = "https://gitlab.example.com/mike/diaspora"
GITLAB = Sample("gitlab", {"push": {
    "object_kind": "push", "event_name": "push", "before": PARENT, "after": HEAD,
    "ref": "refs/heads/main", "ref_protected": True, "checkout_sha": HEAD, "message": None,
    "user_id": 4, "user_name": "John Smith", "user_username": "jsmith",
    "user_email": "john@example.com",
    "user_avatar": "https://s.gravatar.com/avatar/d4c74594d841139328695756648b6bd6?s=80",
    "project_id": 15, "project": {
        "id": 15, "name": "Diaspora", "description": "", "web_url": GITLAB_PROJECT,
        "avatar_url": None, "git_ssh_url": "git@gitlab.example.com:mike/diaspora.git",
        "git_http_url": GITLAB_PROJECT + ".git", "namespace": "Mike", "visibility_level": 0,
        "path_with_namespace": "mike/diaspora", "default_branch": "main",
        "homepage": GITLAB_PROJECT},
    "commits": [{"id": HEAD, "message": "Fix the login redirect\n", "title":
                 "Fix the login redirect", "timestamp": Now("iso8601", -60),
                 "url": Text(GITLAB_PROJECT + "/-/commit/{0}", HEAD),
                 "author": {"name": "John Smith", "email": "john@example.com"},
                 "added": [], "modified": ["app/controllers/sessions_controller.rb"],
                 "removed": []}],
    "total_commits_count": 1,
    "repository": {"name": "Diaspora", "url": "git@gitlab.example.com:mike/diaspora.git",
                   "description": "", "homepage": GITLAB_PROJECT,
                   "git_http_url": GITLAB_PROJECT + ".git",
                   "git_ssh_url": "git@gitlab.example.com:mike/diaspora.git",
                   "visibility_level": 0}}},
    # gitlab-org/gitlab app/services/web_hook_service.rb build_headers: User-Agent
    # GitLab/<version>, X-Gitlab-Event-UUID SecureRandom.uuid
    delivery_id=UUID, user_agent="GitLab/17.6.0")

# support.atlassian.com/bitbucket-cloud/docs/event-payloads/ (Push; the event and the request
# id are headers)
BITBUCKET_USER = {"type": "user", "display_name": "Emma", "nickname": "emma",
                  "uuid": "{a54f16da-24e9-4d7f-a3a7-b1ba2cd98aa3}",
                  "account_id": "557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443"}
BITBUCKET_REPO = "https://bitbucket.org/emma/hello-world"
BITBUCKET = Sample("bitbucket", {"repo:push": {
    "actor": BITBUCKET_USER,
    "repository": {"type": "repository", "full_name": "emma/hello-world", "name": "hello-world",
                   "uuid": "{8b1f1a64-3f5e-4b8a-9d6c-5e4b4c2f9d21}", "is_private": True,
                   "scm": "git", "owner": BITBUCKET_USER,
                   "links": {"html": {"href": BITBUCKET_REPO}}},
    "push": {"changes": [{
        "old": {"type": "branch", "name": "main", "target": {"type": "commit", "hash": PARENT}},
        "new": {"type": "branch", "name": "main", "target": {
            "type": "commit", "hash": HEAD, "date": ISO, "message": "Fix the login redirect\n",
            "author": {"type": "author", "raw": "Emma <emma@example.com>",
                       "user": BITBUCKET_USER}}},
        "created": False, "closed": False, "forced": False, "truncated": False,
        "links": {"html": {"href": Text(BITBUCKET_REPO + "/branches/compare/{0}..{1}",
                                        HEAD, PARENT)}},
        "commits": [{"type": "commit", "hash": HEAD, "message": "Fix the login redirect\n",
                     "links": {"html": {"href": Text(BITBUCKET_REPO + "/commits/{0}",
                                                     HEAD)}}}]}]},
}}, delivery_id=UUID)
