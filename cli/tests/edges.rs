//! The command line at its edges: closed pipes and full disks, output
//! paths that are not plain files, a first run with defaults, proofs in
//! shell order, read-only stores, lock timeouts and exit codes per class.

mod common;

use std::fs::File;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use common::{assert_ok, s, stderr, stdout, zklc, Proven, NOW};

fn f() -> &'static Proven {
    static F: OnceLock<Proven> = OnceLock::new();
    F.get_or_init(|| common::proven("4", "21", "1"))
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zklc"))
}

/// Runs zklc with stdout (or stderr) a pipe whose reader is already gone.
fn closed_pipe(args: &[&str], close_stderr: bool) -> std::process::ExitStatus {
    let mut cmd = bin();
    cmd.args(args).stdin(Stdio::null());
    if close_stderr {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    }
    let mut child = cmd.spawn().expect("run zklc");
    // Close our end before zklc writes anything.
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().expect("wait for zklc")
}

/// Runs zklc with stdout on `/dev/full`.
fn full_disk(args: &[&str]) -> Output {
    let full = File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    bin()
        .args(args)
        .stdout(Stdio::from(full))
        .output()
        .expect("run zklc")
}

fn new_store(name: &str) -> PathBuf {
    let f = f();
    let store = f.dir.path().join(name);
    assert_ok(&zklc(&[
        "client",
        "init",
        "--store",
        s(&store),
        "--keys",
        s(&f.keys),
        "--expect-vk-fingerprint",
        &f.vk_fingerprint,
        "--genesis",
        s(&f.chain),
        "--expect-hash",
        &f.genesis_hash,
        "--now",
        NOW,
    ]));
    store
}

fn store_height(store: &Path) -> u64 {
    let o = zklc(&["client", "status", "--store", s(store), "--json"]);
    assert_ok(&o);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["height"].as_str().unwrap().parse().unwrap()
}

fn tip_height() -> u64 {
    let last = f().proofs.last().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(last).unwrap()).unwrap();
    v["header"]["height"].as_str().unwrap().parse().unwrap()
}

#[test]
fn closed_pipes_and_full_disks_never_panic() {
    let f = f();
    let store = new_store("pipes");
    let out = f.dir.path().join("pipes-out");
    std::fs::create_dir_all(&out).unwrap();
    let sol = out.join("sol");
    let key = out.join("key.hex");
    let p0 = s(&f.proofs[0]);
    // For sign and verify-header: a key and the tip's last two headers
    // (the store is at the tip).
    let signer = out.join("signer.hex");
    assert_ok(&zklc(&["validator", "keygen", "--out", s(&signer)]));
    let chain: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.chain).unwrap()).unwrap();
    let blocks = chain["light_blocks"].as_array().unwrap();
    let tip = &blocks[blocks.len() - 1]["header"];
    let before_tip = &blocks[blocks.len() - 2]["header"];
    let header = out.join("header.json");
    std::fs::write(&header, tip.to_string()).unwrap();
    let headers = out.join("headers.json");
    std::fs::write(&headers, serde_json::json!([before_tip, tip]).to_string()).unwrap();
    let mut update = vec!["client", "update", "--store", s(&store), "--now", NOW];
    update.extend(f.proofs.iter().map(|p| s(p)));
    assert_ok(&zklc(&update));
    let pipe_keys = out.join("keys");
    let init_store = out.join("init-store");
    let snarkjs = out.join("snarkjs");
    let bench_out = out.join("bench");
    let bench_keys = out.join("bench-keys");
    let commands: Vec<Vec<&str>> = vec![
        vec!["--help"],
        vec!["chain", "check", s(&f.chain)],
        vec!["chain", "check", s(&f.chain), "--json"],
        vec!["devnet", "--out", "-"],
        vec![
            "verify",
            "--keys",
            s(&f.keys),
            "--genesis",
            s(&f.chain),
            "--trust-genesis",
            "--now",
            NOW,
            p0,
        ],
        vec!["client", "status", "--store", s(&store)],
        vec!["client", "status", "--store", s(&store), "--json"],
        vec![
            "export",
            "solidity",
            "--keys",
            s(&f.keys),
            "--out",
            s(&sol),
            "--allow-development-key",
        ],
        vec!["validator", "keygen", "--out", s(&key)],
        vec![
            "validator",
            "sign",
            "--key",
            s(&signer),
            "--index",
            "0",
            s(&header),
        ],
        vec![
            "setup",
            "--capacity",
            "1",
            "--seed",
            "3",
            "--out",
            s(&pipe_keys),
            "--force",
        ],
        // Every proof already there verifies: prove keeps them all.
        vec![
            "prove",
            "--chain",
            s(&f.chain),
            "--keys",
            s(&f.keys),
            "--out",
            s(f.proofs[0].parent().unwrap()),
        ],
        vec!["client", "verify-header", "--store", s(&store), s(&headers)],
        vec!["client", "clear-evidence", "--store", s(&store)],
        // The store is at the tip: sync applies nothing and says so.
        vec![
            "client",
            "sync",
            "--store",
            s(&store),
            "--from",
            s(f.proofs[0].parent().unwrap()),
            "--now",
            NOW,
        ],
        // A fresh store each time (removed before every run).
        vec![
            "client",
            "init",
            "--store",
            s(&init_store),
            "--keys",
            s(&f.keys),
            "--allow-development-key",
            "--genesis",
            s(&f.chain),
            "--trust-genesis",
            "--now",
            NOW,
        ],
        vec![
            "export",
            "snarkjs",
            "--keys",
            s(&f.keys),
            "--proof",
            p0,
            "--out",
            s(&snarkjs),
        ],
        vec![
            "bench",
            "--capacities",
            "1",
            "--proofs",
            "1",
            "--runs",
            "1",
            "--threads",
            "1",
            "--out",
            s(&bench_out),
            "--keys-cache",
            s(&bench_keys),
        ],
    ];
    let fresh = || {
        let _ = std::fs::remove_file(&key);
        let _ = std::fs::remove_dir_all(&init_store);
    };
    for args in &commands {
        for close_stderr in [false, true] {
            fresh();
            let status = closed_pipe(args, close_stderr);
            assert_ne!(status.code(), Some(101), "{args:?} panicked");
            assert!(status.code().is_some(), "{args:?} was killed: {status:?}");
            if args[0] != "--help" {
                assert_eq!(status.code(), Some(0), "{args:?} (closed pipe)");
            }
        }
        fresh();
        let o = full_disk(args);
        assert_ne!(o.status.code(), Some(101), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
    // A command whose output is its result fails on a full disk, in one line.
    let o = full_disk(&["chain", "check", s(&f.chain)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot write to stdout"), "{err}");
    assert!(Path::new("/dev/full")
        .metadata()
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn a_multi_proof_update_into_a_closed_pipe_applies_every_proof() {
    let f = f();
    let store = new_store("update-pipe");
    // In reverse order, as a shell could list them.
    let mut args = vec!["client", "update", "--store", s(&store), "--now", NOW];
    args.extend(f.proofs.iter().rev().map(|p| s(p)));
    let status = closed_pipe(&args, false);
    assert_eq!(status.code(), Some(0));
    assert_eq!(store_height(&store), tip_height());
}

#[test]
fn proofs_apply_in_height_order_and_a_gap_names_heights() {
    let f = f();
    let mut args = vec![
        "verify",
        "--keys",
        s(&f.keys),
        "--genesis",
        s(&f.chain),
        "--expect-hash",
        &f.genesis_hash,
        "--now",
        NOW,
        "--json",
    ];
    args.extend(f.proofs.iter().rev().map(|p| s(p)));
    let o = zklc(&args);
    assert_ok(&o);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["applied"].as_array().unwrap().len(), f.proofs.len());
    assert_eq!(
        v["trusted_state"]["height"].as_str().unwrap(),
        tip_height().to_string()
    );
    // One proof skipped: the refusal says where the state is and where the
    // proof starts, in heights, without set hashes.
    let o = zklc(&[
        "verify",
        "--keys",
        s(&f.keys),
        "--genesis",
        s(&f.chain),
        "--expect-hash",
        &f.genesis_hash,
        "--now",
        NOW,
        s(&f.proofs[1]),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("the state is at height 1"), "{err}");
    assert!(!err.contains("!="), "{err}");
    // The store says the same, and where the proof starts when it knows.
    let store = new_store("gap");
    let o = zklc(&[
        "client",
        "update",
        "--store",
        s(&store),
        "--now",
        NOW,
        s(&f.proofs[1]),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the state is at height 1"),
        "{}",
        stderr(&o)
    );
    assert_eq!(store_height(&store), 1);
}

#[test]
fn a_default_devnet_proves_and_verifies_without_now() {
    let f = f();
    let dir = tempfile::tempdir().unwrap();
    let chain = dir.path().join("chain.json");
    assert_ok(&zklc(&[
        "devnet",
        "--epochs",
        "2",
        "--epoch-length",
        "2",
        "--out",
        s(&chain),
    ]));
    let proofs = dir.path().join("proofs");
    assert_ok(&zklc(&[
        "prove",
        "--chain",
        s(&chain),
        "--keys",
        s(&f.keys),
        "--out",
        s(&proofs),
    ]));
    let files = zklc_primitives::test_helpers::proof_files(&proofs);
    let mut args = vec![
        "verify",
        "--keys",
        s(&f.keys),
        "--genesis",
        s(&chain),
        "--trust-genesis",
    ];
    args.extend(files.iter().map(|p| s(p)));
    assert_ok(&zklc(&args));
    // Proving again resumes: nothing to prove, the files stay.
    let before = std::fs::read(&files[0]).unwrap();
    let o = zklc(&[
        "prove",
        "--chain",
        s(&chain),
        "--keys",
        s(&f.keys),
        "--out",
        s(&proofs),
    ]);
    assert_ok(&o);
    assert!(stderr(&o).contains("kept"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&files[0]).unwrap(), before);
    // A file there that is not a proof of this chain needs --force.
    let mut v: serde_json::Value = serde_json::from_slice(&before).unwrap();
    v["proof"] = format!("0x{}", "00".repeat(128)).into();
    std::fs::write(&files[0], v.to_string()).unwrap();
    let o = zklc(&[
        "prove",
        "--chain",
        s(&chain),
        "--keys",
        s(&f.keys),
        "--out",
        s(&proofs),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
}

#[test]
fn out_refuses_fifos_and_devices_and_writes_through_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    let devnet = |out: &str| zklc(&["devnet", "--epochs", "1", "--out", out]);
    // A FIFO stays a FIFO (and nothing blocks on it).
    let fifo = dir.path().join("fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let o = devnet(s(&fifo));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("FIFO"), "{}", stderr(&o));
    assert!(fifo.metadata().unwrap().file_type().is_fifo());
    // A device stays a device.
    let o = devnet("/dev/full");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("character device"), "{}", stderr(&o));
    assert!(Path::new("/dev/full")
        .metadata()
        .unwrap()
        .file_type()
        .is_char_device());
    // A symlink is written through: the link stays, its target is the chain.
    let target = dir.path().join("target.json");
    std::fs::write(&target, b"old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = devnet(s(&link));
    assert_ok(&o);
    assert!(stderr(&o).contains("symlink"), "{}", stderr(&o));
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("light_blocks"), "{text}");
    // `-` is stdout.
    let o = devnet("-");
    assert_ok(&o);
    assert!(stdout(&o).contains("light_blocks"));
    // A directory target that is a file is refused before any work.
    let o = zklc(&[
        "setup",
        "--capacity",
        "1",
        "--seed",
        "1",
        "--out",
        s(&target),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a directory"), "{}", stderr(&o));
    let o = zklc(&["bench", "--capacities", "1", "--out", "/dev/null"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a directory"), "{}", stderr(&o));
}

/// Runs `zklc args` on a view of `store` that cannot be written: a
/// read-only bind mount in a private mount namespace when run as root
/// (permissions do not stop root), file modes otherwise.
fn on_read_only_store(store: &Path, args: &[&str]) -> Output {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if root {
        let script = format!(
            "mount --bind '{d}' '{d}' && mount -o remount,bind,ro '{d}' && exec \"$@\"",
            d = s(store)
        );
        let o = Command::new("unshare")
            .args(["-m", "sh", "-c", &script, "sh", env!("CARGO_BIN_EXE_zklc")])
            .args(args)
            .output()
            .expect("unshare");
        assert!(
            !stderr(&o).contains("mount:") && !stderr(&o).contains("unshare:"),
            "cannot make a read-only mount here: {}",
            stderr(&o)
        );
        o
    } else {
        use std::os::unix::fs::PermissionsExt;
        let set = |mode| {
            for p in [
                store.to_path_buf(),
                store.join(".lock"),
                store.join("store.json"),
            ] {
                let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode));
            }
        };
        set(0o555);
        let o = zklc(args);
        set(0o755);
        o
    }
}

#[test]
fn a_read_only_store_reads_and_blames_itself_for_updates() {
    let f = f();
    let store = new_store("read-only");
    let o = on_read_only_store(
        &store,
        &["client", "status", "--store", s(&store), "--json"],
    );
    assert_ok(&o);
    let o = on_read_only_store(
        &store,
        &[
            "client",
            "update",
            "--store",
            s(&store),
            "--now",
            NOW,
            s(&f.proofs[0]),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("not writable"), "{err}");
    assert!(!err.contains("refused"), "{err}");
    assert_eq!(store_height(&store), 1);
}

#[test]
fn a_held_lock_times_out_with_a_clear_message() {
    let store = new_store("locked");
    let lock = File::options()
        .write(true)
        .open(store.join(".lock"))
        .unwrap();
    lock.lock().unwrap();
    let started = std::time::Instant::now();
    for args in [
        vec![
            "client",
            "status",
            "--store",
            s(&store),
            "--lock-timeout",
            "300",
        ],
        vec![
            "client",
            "clear-evidence",
            "--store",
            s(&store),
            "--lock-timeout",
            "300",
        ],
    ] {
        let o = zklc(&args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("--lock-timeout"), "{}", stderr(&o));
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    lock.unlock().unwrap();
    assert_eq!(store_height(&store), 1);
}

#[test]
fn exit_codes_per_class() {
    let f = f();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let usage: Vec<Vec<&str>> = vec![
        vec!["setup", "--capacity", "6", "--out", s(&out)],
        vec![
            "devnet",
            "--validators",
            "9",
            "--capacity",
            "8",
            "--out",
            s(&out),
        ],
        vec!["devnet", "--absent", "100", "--out", s(&out)],
        vec!["validator", "keygen", "--stake", "-5", "--out", s(&out)],
        vec![
            "prove",
            "--chain",
            s(&f.chain),
            "--keys",
            s(&f.keys),
            "--out",
            s(&out),
            "--jobs",
            "0",
        ],
        vec![
            "verify",
            "--keys",
            s(&f.keys),
            "--genesis",
            s(&f.chain),
            s(&f.proofs[0]),
        ],
        vec!["no-such-command"],
    ];
    for args in &usage {
        let o = zklc(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    assert!(!out.exists());
    // Refused input: 1, one line.
    let tampered = dir.path().join("tampered.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.proofs[0]).unwrap()).unwrap();
    v["header"]["state_root"] = format!("0x{}", "11".repeat(32)).into();
    std::fs::write(&tampered, v.to_string()).unwrap();
    let o = zklc(&[
        "verify",
        "--keys",
        s(&f.keys),
        "--genesis",
        s(&f.chain),
        "--trust-genesis",
        "--now",
        NOW,
        s(&tampered),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error")).count(),
        1,
        "{err}"
    );
    // Hashes take either case and an optional 0x.
    let bare = f.genesis_hash.trim_start_matches("0x").to_uppercase();
    let o = zklc(&[
        "verify",
        "--keys",
        s(&f.keys),
        "--genesis",
        s(&f.chain),
        "--expect-hash",
        &bare,
        "--now",
        NOW,
        s(&f.proofs[0]),
    ]);
    assert_ok(&o);
    // No debug text or doubled OS messages.
    let o = zklc(&["chain", "check", s(&dir.path().join("missing.json"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains("os error"), "{}", stderr(&o));
    let o = zklc(&[
        "verify",
        "--keys",
        s(&out),
        "--trust-genesis",
        "--genesis",
        s(&f.chain),
        s(&f.proofs[0]),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
}

#[test]
fn sync_reads_only_proof_files_and_notes_the_others() {
    let f = f();
    let dir = tempfile::tempdir().unwrap();
    for p in &f.proofs {
        std::fs::copy(p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), b"not a proof").unwrap();
    std::fs::write(dir.path().join("other.json"), b"{\"not\":\"a proof\"}").unwrap();
    let store = new_store("sync-only-proofs");
    let o = zklc(&[
        "client",
        "sync",
        "--store",
        s(&store),
        "--from",
        s(dir.path()),
        "--now",
        NOW,
    ]);
    assert_ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("skipping") && err.contains("notes.txt"),
        "{err}"
    );
    assert!(err.contains("other.json"), "{err}");
    assert_eq!(store_height(&store), tip_height());
    // --quiet silences the notes, not the result.
    let store = new_store("sync-quiet");
    let o = zklc(&[
        "client",
        "sync",
        "--quiet",
        "--store",
        s(&store),
        "--from",
        s(dir.path()),
        "--now",
        NOW,
    ]);
    assert_ok(&o);
    assert!(!stderr(&o).contains("skipping"), "{}", stderr(&o));
    assert!(stdout(&o).contains("synced"), "{}", stdout(&o));
}

#[test]
fn export_snarkjs_refuses_a_proof_that_does_not_verify() {
    let f = f();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snarkjs");
    let export = |proof: &Path| {
        zklc(&[
            "export",
            "snarkjs",
            "--keys",
            s(&f.keys),
            "--proof",
            s(proof),
            "--out",
            s(&out),
        ])
    };
    assert_ok(&export(&f.proofs[0]));
    assert!(out.join("proof.json").exists());
    // The same file claiming another header: the pairing check fails.
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.proofs[0]).unwrap()).unwrap();
    v["header"]["state_root"] = format!("0x{}", "22".repeat(32)).into();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, v.to_string()).unwrap();
    let out2 = dir.path().join("snarkjs2");
    let o = zklc(&[
        "export",
        "snarkjs",
        "--keys",
        s(&f.keys),
        "--proof",
        s(&tampered),
        "--out",
        s(&out2),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not verify"), "{}", stderr(&o));
    assert!(!out2.exists());
}
