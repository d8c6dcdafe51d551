"""Write the ``[[files]]`` rows of a manifest from an OpenNeuro dataset's git mirror (never inventing a hash).

For each file of the snapshot ``TAG``:
- a git-annex symlink: size and hash from its key (``MD5E-s<size>--<md5>`` or ``SHA256E-s<size>--<sha256>``), and
  the S3 ``versionId`` from ``git-annex:<aaa>/<bbb>/<key>.log.rmet`` of the public remote (the line whose path
  is the file's; the latest if several);
- a file committed in git: its sha256 and size computed from the committed bytes, and the plain S3 address.

Usage::

    python scripts/openneuro_manifest_rows.py /work/.mirror/OpenNeuroDatasets+ds000105/repo 3.0.0 ds000105 \\
        --exclude '^(derivatives|\\.)' > rows.toml
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess

S3 = "https://s3.amazonaws.com/openneuro.org"


def git(repo: str, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", repo, *args], check=True, capture_output=True).stdout


def public_remote(repo: str) -> str:
    """The uuid of the ``s3-PUBLIC`` special remote."""
    for line in git(repo, "show", "git-annex:remote.log").decode().splitlines():
        if "name=s3-PUBLIC" in line:
            return line.split()[0]
    raise SystemExit("no s3-PUBLIC remote in git-annex:remote.log")


def version_id(repo: str, key: str, path: str, accession: str, remote: str) -> str | None:
    """The S3 version id the public remote recorded for ``key`` at ``path`` (latest line wins)."""
    digest = hashlib.md5(key.encode()).hexdigest()
    try:
        text = git(repo, "show", f"git-annex:{digest[:3]}/{digest[3:6]}/{key}.log.rmet").decode()
    except subprocess.CalledProcessError:
        return None
    found = []
    for line in text.splitlines():
        match = re.match(r"(\d+(?:\.\d+)?)s (\S+):V \+(\S+)#(.+)$", line)
        if match and match.group(2) == remote and match.group(4) == f"{accession}/{path}":
            found.append((float(match.group(1)), match.group(3)))
    return max(found)[1] if found else None


def rows(repo: str, tag: str, accession: str, include: str, exclude: str) -> list[str]:
    remote = public_remote(repo)
    out = []
    for line in git(repo, "ls-tree", "-r", tag).decode().splitlines():
        meta, path = line.split("\t", 1)
        mode, _, blob = meta.split()
        if not re.search(include, path) or (exclude and re.search(exclude, path)):
            continue
        data = git(repo, "cat-file", "-p", blob)
        if mode == "120000":
            key = data.decode().rsplit("/", 1)[-1]
            backend, size, digest = re.match(r"(MD5E|SHA256E)-s(\d+)--([0-9a-f]+)", key).groups()
            algo = "md5" if backend == "MD5E" else "sha256"
            version = version_id(repo, key, path, accession, remote)
            url = f"{S3}/{accession}/{path}" + (f"?versionId={version}" if version else "")
            out.append(f'[[files]]\nname = "{path}"\n{algo} = "{digest}"\nsize = {size}\nurl = "{url}"\n')
        else:
            out.append(f'[[files]]\nname = "{path}"\nsha256 = "{hashlib.sha256(data).hexdigest()}"\n'
                       f'size = {len(data)}\nurl = "{S3}/{accession}/{path}"\n')
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="the git directory of the dataset's mirror")
    parser.add_argument("tag", help="the snapshot tag (3.0.0)")
    parser.add_argument("accession", help="the OpenNeuro accession (ds000105)")
    parser.add_argument("--include", default="", help="regular expression a path must match")
    parser.add_argument("--exclude", default="", help="regular expression of paths to leave out")
    args = parser.parse_args()
    print("\n".join(rows(args.repo, args.tag, args.accession, args.include, args.exclude)))


if __name__ == "__main__":
    main()
