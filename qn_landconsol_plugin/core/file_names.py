"""Names of the files the plugin invents inside an output folder (the declaration
export's <XMBH>_范围.txt, <XMBH>.gpkg…), made from free text such as a project number:
safe on every OS (the characters Windows forbids and control characters replaced, no
reserved device name), cut by UTF-8 bytes so that the longest name with its suffix stays
within the 255-byte limit of a file name, and unique: projects whose numbers give the
same name, and files already in the folder, get a numbered name (…_2, …_3), and a
finding says so. Nothing is ever silently overwritten."""
from __future__ import annotations

import re

from .messages import WARNING, finding, translatable

MAX_NAME_BYTES = 255                    # per file name on ext4, NTFS (UTF-16: more), APFS
NUMBER_ROOM = 4                         # "_99"
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}

FILE_NAME_FINDINGS = {
    "NAME_COLLISION": (translatable(
        "Projects {first} and {project} give the same file name {stem}: the files of "
        "{project} are named {new} instead."),
        "项目 {first} 与 {project} 的文件名同为 {stem}，{project} 的文件改名为 {new}。"),
    "NAME_EXISTS": (translatable(
        "Project {project}: the folder already holds {existing}; this project's files are "
        "named {new} instead (nothing is overwritten)."),
        "项目 {project}：输出文件夹中已有 {existing}，本项目的文件改名为 {new}（不覆盖已有文件）。"),
    "NAME_SHORTENED": (translatable(
        "Project {project}: its number is too long for a file name; its files are named "
        "{new}."),
        "项目 {project}：项目编号过长，不能用作文件名，其文件名截短为 {new}。"),
}


def cut_utf8(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` bytes of UTF-8, never inside a character."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max(max_bytes, 0)].decode("utf-8", "ignore")


def safe_stem(text, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name stem from free text: forbidden characters and spaces become '_', no
    leading/trailing '_' or '.', no Windows device name, at most `max_bytes` bytes."""
    stem = _FORBIDDEN.sub("_", str(text if text is not None else "")).strip("_. ")
    stem = cut_utf8(stem, max_bytes).rstrip("_. ") or "project"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem


def stem_budget(suffixes) -> int:
    """The bytes left for a stem when the longest suffix and a number must fit."""
    longest = max((len(s.encode("utf-8")) for s in suffixes), default=0)
    return MAX_NAME_BYTES - longest - NUMBER_ROOM


def project_stems(projects, suffixes, existing=()) -> tuple:
    """({project: file stem}, findings) for `projects` (in the order given) whose files are
    stem + each of `suffixes`: safe_stem within stem_budget; a project whose stem another
    project already has (compared case-insensitively, as Windows and macOS do), or
    whose files would meet a name in `existing` (the folder's file names), gets the first
    free stem_2, stem_3…; each renaming is a WARNING finding naming the projects."""
    budget = stem_budget(suffixes)
    taken = {str(n).casefold() for n in existing}
    owners, stems, findings = {}, {}, []
    for project in projects:
        stem = safe_stem(project, budget)
        if len(_FORBIDDEN.sub("_", str(project)).strip("_. ").encode("utf-8")) > budget:
            findings.append(finding(FILE_NAME_FINDINGS, WARNING, "NAME_SHORTENED",
                                    project=project, new=stem))
        new, k = stem, 1
        while new.casefold() in owners or any((new + s).casefold() in taken for s in suffixes):
            k += 1
            new = f"{stem}_{k}"
        if new != stem:
            if stem.casefold() in owners:
                findings.append(finding(FILE_NAME_FINDINGS, WARNING, "NAME_COLLISION",
                                        first=owners[stem.casefold()], project=project,
                                        stem=stem, new=new))
            else:
                existing_names = [stem + s for s in suffixes if (stem + s).casefold() in taken]
                findings.append(finding(FILE_NAME_FINDINGS, WARNING, "NAME_EXISTS",
                                        project=project, existing=", ".join(existing_names),
                                        new=new))
        owners[new.casefold()] = project
        owners.setdefault(stem.casefold(), project)
        stems[project] = new
    return stems, findings
