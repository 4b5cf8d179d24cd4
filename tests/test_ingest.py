"""Ingestion: statuses and reasons over a folder of good and bad files."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from near_cli.main import main
from near_core.config import IngestConfig
from near_core.ingest import IngestError, current_images, discover, ingest, load_rgb
from near_core.store import RunStore


def _save(img: Image.Image, path: Path, fmt: str, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, fmt, **kw)
    return path


def _exif_rotated_jpeg(path: Path) -> Path:
    """A 40x20 landscape JPEG whose EXIF orientation (6 = rotate 90 CW) makes it 20x40."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return _save(Image.new("RGB", (40, 20), (200, 30, 30)), path, "JPEG", exif=exif.tobytes())


def _bomb(path: Path) -> Path:
    """A tiny PNG whose header declares far more pixels than PIL's safety limit."""
    return _save(Image.new("1", (20000, 20000)), path, "PNG")


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("images")
    _save(Image.new("RGB", (32, 24), (10, 120, 200)), root / "a" / "rgb.jpg", "JPEG")
    _save(Image.new("RGB", (30, 30), (0, 200, 0)), root / "a" / "plain.png", "PNG")
    _save(Image.new("RGB", (16, 16), (90, 90, 9)), root / "b" / "pic.webp", "WEBP")
    _save(Image.new("L", (20, 10), 128), root / "b" / "gray.png", "PNG")
    _save(Image.new("CMYK", (12, 12), (0, 50, 100, 0)), root / "b" / "cmyk.jpg", "JPEG")
    _save(Image.new("RGBA", (8, 8), (1, 2, 3, 100)), root / "b" / "alpha.png", "PNG")
    _exif_rotated_jpeg(root / "rot.jpg")
    shutil.copy(root / "a" / "rgb.jpg", root / "copy_of_rgb.jpg")
    shutil.copy(root / "a" / "rgb.jpg", root / "b" / "again.jpg")
    (root / "zero.jpg").write_bytes(b"")
    buf = io.BytesIO()
    Image.effect_noise((64, 64), 50).convert("RGB").save(buf, "JPEG", quality=95)
    (root / "truncated.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    (root / "notes.jpg").write_text("this is not an image\n")
    _bomb(root / "bomb.png")
    locked = root / "locked.png"
    _save(Image.new("RGB", (5, 5)), locked, "PNG")
    locked.chmod(0)
    (root / ".hidden.jpg").write_bytes(b"skip me")
    return root


def _by_name(store: RunStore) -> dict[str, dict]:
    rows = store.read("images").to_pylist()
    return {Path(p).name: r for r in rows for p in r["paths"]}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_rejected_as_permission_denied(image_folder, run_dir):
    ingest(image_folder, RunStore(run_dir))
    assert _by_name(RunStore(run_dir))["locked.png"]["reason"] == "unreadable: permission denied"


def test_unreadable_file_is_rejected(tmp_path, run_dir, monkeypatch):
    """Permission errors are simulated where the test runs as root (root ignores modes)."""
    _save(Image.new("RGB", (5, 5)), tmp_path / "ok.png", "PNG")
    _save(Image.new("RGB", (6, 5)), tmp_path / "locked.png", "PNG")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.png":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    summary = ingest(tmp_path, RunStore(run_dir))
    rows = _by_name(RunStore(run_dir))
    assert rows["locked.png"]["status"] == "rejected"
    assert rows["locked.png"]["reason"] == "unreadable: permission denied"
    assert (summary.ok, summary.rejected) == (1, 1)


def test_statuses_and_reasons(image_folder, run_dir):
    summary = ingest(image_folder, RunStore(run_dir), config=IngestConfig(max_pixels=50_000_000))
    rows = _by_name(RunStore(run_dir))
    ok = {"rgb.jpg", "plain.png", "pic.webp", "gray.png", "cmyk.jpg", "alpha.png", "rot.jpg"}
    if os.geteuid() == 0:  # root reads locked.png anyway
        ok.add("locked.png")
    for name in ok | {"copy_of_rgb.jpg", "again.jpg"}:
        assert rows[name]["status"] == "ok", (name, rows[name]["reason"])
        assert rows[name]["reason"] is None
    assert rows["zero.jpg"]["reason"] == "empty file"
    assert rows["truncated.jpg"]["reason"].startswith("truncated image")
    assert rows["notes.jpg"]["reason"] == "not an image: unknown or unsupported format"
    assert rows["bomb.png"]["reason"].startswith("oversize")
    assert ".hidden.jpg" not in rows
    for name in ("zero.jpg", "truncated.jpg", "notes.jpg", "bomb.png"):
        assert rows[name]["status"] == "rejected"
    # formats, modes and EXIF orientation
    assert (rows["cmyk.jpg"]["mode"], rows["gray.png"]["mode"]) == ("CMYK", "L")
    assert rows["pic.webp"]["format"] == "WEBP"
    assert (rows["rot.jpg"]["width"], rows["rot.jpg"]["height"]) == (20, 40)
    assert load_rgb(image_folder / "rot.jpg").size == (20, 40)
    # duplicates collapse into one row holding every path, the smallest first
    dup = rows["rgb.jpg"]
    assert dup is rows["copy_of_rgb.jpg"] or dup["image_id"] == rows["copy_of_rgb.jpg"]["image_id"]
    assert sorted(Path(p).name for p in dup["paths"]) == ["again.jpg", "copy_of_rgb.jpg", "rgb.jpg"]
    assert dup["path"] == min(dup["paths"])
    assert summary.duplicate == 2
    assert summary.new == len(ok)
    assert summary.ok == len(ok) + 2
    assert summary.rejected == summary.scanned - summary.ok


def test_oversize_by_config(tmp_path, run_dir):
    _save(Image.new("RGB", (100, 100)), tmp_path / "big.png", "PNG")
    _save(Image.new("RGB", (10, 10)), tmp_path / "small.png", "PNG")
    ingest(tmp_path, RunStore(run_dir), config=IngestConfig(max_pixels=5000))
    rows = _by_name(RunStore(run_dir))
    assert rows["big.png"]["reason"] == "oversize: 100x100 pixels > max_pixels 5000"
    assert rows["small.png"]["status"] == "ok"


def test_huge_file_rejected_unread(tmp_path, run_dir):
    (tmp_path / "huge.jpg").write_bytes(b"\0" * 5000)
    ingest(tmp_path, RunStore(run_dir), config=IngestConfig(max_file_bytes=1000))
    (row,) = RunStore(run_dir).read("images").to_pylist()
    assert row["reason"] == "file too large: 5000 bytes > max_file_bytes 1000"


def test_reingest_adds_only_new_files(tmp_path, run_dir):
    src = tmp_path / "src"
    for i in range(3):
        _save(Image.new("RGB", (8, 8), (i * 50, 0, 0)), src / f"{i}.png", "PNG")
    store = RunStore(run_dir)
    first = ingest(src, store)
    parts = store.files("images")
    again = ingest(src, store)
    assert (first.new, again.new) == (3, 0)
    assert store.files("images") == parts  # nothing new written
    _save(Image.new("RGB", (8, 8), (0, 0, 255)), src / "new.png", "PNG")
    shutil.copy(src / "0.png", src / "0_copy.png")
    third = ingest(src, store)
    assert (third.new, third.duplicate) == (1, 1)
    table = current_images(store)
    assert table.num_rows == 4
    row0 = next(r for r in table.to_pylist() if r["path"].endswith("0.png"))
    assert len(row0["paths"]) == 2


def test_path_list_source(tmp_path, run_dir):
    _save(Image.new("RGB", (8, 8)), tmp_path / "imgs" / "x.png", "PNG")
    listing = tmp_path / "list.txt"
    listing.write_text("# images\nimgs/x.png\n\nimgs/missing.png\n")
    summary = ingest(listing, RunStore(run_dir))
    rows = _by_name(RunStore(run_dir))
    assert rows["x.png"]["status"] == "ok"
    assert rows["missing.png"]["reason"].startswith("unreadable")
    assert (summary.ok, summary.rejected) == (1, 1)


def test_missing_source_is_a_clear_error(tmp_path, run_dir):
    with pytest.raises(IngestError, match="does not exist"):
        ingest(tmp_path / "nope", RunStore(run_dir))


def test_cli_ingest_summary_and_exit_code(image_folder, run_dir, capsys):
    assert main(["ingest", str(image_folder), "--run", str(run_dir)]) == 0
    out = capsys.readouterr().out
    assert "ok" in out and "rejected" in out and "duplicate" in out and "new" in out
    assert (run_dir / "config.toml").exists()
    assert main(["ingest", str(run_dir / "missing"), "--run", str(run_dir)]) == 2


# -- property: permutations and duplications of a file set give the same table ------------

_POOL: list[tuple[str, bytes]] = []


def _pool() -> list[tuple[str, bytes]]:
    if not _POOL:
        for i in range(4):
            buf = io.BytesIO()
            Image.new("RGB", (6 + i, 6), (i * 60, 10, 10)).save(buf, "PNG")
            _POOL.append((f"img{i}.png", buf.getvalue()))
        _POOL.append(("bad.jpg", b"not an image"))
        _POOL.append(("empty.png", b""))
    return _POOL


def _table_of(files: list[tuple[str, bytes]], root: Path) -> list[dict]:
    if root.exists():
        shutil.rmtree(root)
    (root / "src").mkdir(parents=True)
    for name, data in files:
        (root / "src" / name).write_bytes(data)
    ingest(root / "src", RunStore(root / "run"))
    rows = RunStore(root / "run").read("images").to_pylist()
    for r in rows:  # compare by file name: the folder differs per example
        r["path"] = Path(r["path"]).name
        r["paths"] = sorted(Path(p).name for p in r["paths"])
        if r["status"] == "rejected":
            r["image_id"] = r["path"] if r["reason"] == "empty file" else r["image_id"]
    return sorted(rows, key=lambda r: r["image_id"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_permutation_and_duplication_invariance(tmp_path, data):
    pool = _pool()
    picks = data.draw(st.lists(st.sampled_from(range(len(pool))), min_size=1, max_size=8))
    files = [(f"{i}_{pool[k][0]}", pool[k][1]) for i, k in enumerate(picks)]
    shuffled = data.draw(st.permutations(files))
    doubled = shuffled + [(f"dup_{n}", d) for n, d in shuffled if data.draw(st.booleans())]
    base = _table_of(files, tmp_path / "a")
    assert _table_of(list(shuffled), tmp_path / "b") == base
    # duplicated content adds paths, never rows or other values
    dup_rows = _table_of(doubled, tmp_path / "c")
    strip = [{k: v for k, v in r.items() if k not in ("paths", "path", "image_id")} for r in base]
    strip_dup = [
        {k: v for k, v in r.items() if k not in ("paths", "path", "image_id")} for r in dup_rows
    ]
    n_empty_extra = sum(1 for n, d in doubled if not d) - sum(1 for n, d in files if not d)
    assert len(dup_rows) == len(base) + n_empty_extra
    for row in strip:
        assert row in strip_dup


def test_discover_skips_hidden_and_sorts(tmp_path):
    (tmp_path / "b.png").write_bytes(b"x")
    (tmp_path / "a.png").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.png").write_bytes(b"x")
    assert [p.name for p in discover(tmp_path)] == ["a.png", "b.png"]


def test_symlink_loop_is_walked_once(tmp_path, run_dir):
    src = tmp_path / "src"
    _save(Image.new("RGB", (8, 8)), src / "a" / "x.png", "PNG")
    (src / "a" / "loop").symlink_to(src, target_is_directory=True)
    (src / "dangling.png").symlink_to(tmp_path / "gone.png")
    summary = ingest(src, RunStore(run_dir))
    rows = _by_name(RunStore(run_dir))
    assert rows["x.png"]["status"] == "ok" and summary.ok >= 1
    assert rows["dangling.png"]["reason"].startswith("unreadable")


def test_crash_mid_scan_keeps_finished_parts_and_rerun_completes(tmp_path, run_dir, monkeypatch):
    import near_core.ingest as ingest_mod

    src = tmp_path / "src"
    for i in range(7):
        _save(Image.new("RGB", (8, 8), (i * 30, 0, 0)), src / f"{i}.png", "PNG")
    store = RunStore(run_dir)
    cfg = IngestConfig(part_rows=2, workers=1)
    real = ingest_mod._examine

    def dies_on_the_fifth(path, *args):
        if path.name == "4.png":
            raise KeyboardInterrupt  # the process is stopped mid-scan
        return real(path, *args)

    monkeypatch.setattr(ingest_mod, "_examine", dies_on_the_fifth)
    with pytest.raises(KeyboardInterrupt):
        ingest(src, store, config=cfg)
    monkeypatch.undo()
    assert store.read("images").num_rows == 4  # two finished parts survive
    again = ingest(src, store, config=cfg)
    assert again.new == 3
    table = store.read("images", dedupe=False)
    assert table.num_rows == 7 and len(set(table["image_id"].to_pylist())) == 7
