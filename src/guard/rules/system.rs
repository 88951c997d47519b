//! Disks and permissions: writes to block devices, tools that erase disks, and recursive
//! permission or owner changes over the system, home or the whole project.

use crate::guard::args::{Spec, scan};
use crate::guard::{Arg, Scope, Target, Unit, Walker, target};
use crate::hook::decision::{Finding, clamp};
use crate::project::paths;
use std::path::Path;

/// Entries of `/dev` that are not disks: writing to them destroys nothing.
const PSEUDO_DEVICES: &[&str] = &[
    "null", "zero", "full", "random", "urandom", "console", "ptmx", "stdin", "stdout", "stderr",
    "kmsg", "log",
];
/// Directories of `/dev` that hold no disks.
const PSEUDO_DIRS: &[&str] = &[
    "pts",
    "fd",
    "shm",
    "mqueue",
    "hugepages",
    "net",
    "tcp",
    "udp",
];

/// Whether a path names a device that could be a disk: anything under `/dev` but the pseudo
/// devices (`/dev/null`, ttys, `/dev/fd/N`, ...), whatever the naming scheme (`/dev/sda`,
/// `/dev/nvme0n1`, `/dev/mapper/x`, LVM's `/dev/vg/lv`, macOS `/dev/rdisk0`).
pub fn is_block_device(p: &Path) -> bool {
    // `/proc/PID/root/dev/...` is `/dev/...`.
    let mut c = p.components();
    let p = match (c.next(), c.next(), c.next(), c.next()) {
        (Some(_), Some(a), Some(_), Some(b))
            if a.as_os_str() == "proc" && b.as_os_str() == "root" =>
        {
            Path::new("/").join(c.as_path())
        }
        _ => p.to_path_buf(),
    };
    let Ok(rest) = p.strip_prefix("/dev") else {
        return false;
    };
    let Some(first) = rest.components().next() else {
        return false;
    };
    let first = first.as_os_str().to_string_lossy();
    let pseudo = PSEUDO_DEVICES.contains(&first.as_ref())
        || first.starts_with("tty")
        || PSEUDO_DIRS.contains(&first.as_ref());
    !pseudo
}

pub fn is_disk_tool(verb: &str) -> bool {
    verb.starts_with("mkfs")
        || matches!(
            verb,
            "mke2fs"
                | "mkswap"
                | "wipefs"
                | "blkdiscard"
                | "sfdisk"
                | "sgdisk"
                | "parted"
                | "btrfs"
                | "nvme"
                | "cryptsetup"
                | "mkdosfs"
                | "mkntfs"
                | "mkexfatfs"
                | "diskutil"
                | "hdparm"
                | "badblocks"
                | "fdisk"
                | "gdisk"
                | "cfdisk"
                | "zpool"
                | "zfs"
                | "lvremove"
                | "vgremove"
                | "pvremove"
                | "pvcreate"
                | "vgcreate"
                | "vgextend"
                | "mdadm"
        )
        || verb.starts_with("newfs")
}

pub fn disk_tool(w: &mut Walker, unit: &Unit, scope: &Scope) {
    let Some(verb) = unit.verb() else {
        return;
    };
    let args = unit.args();
    // A device path with an unknown part (`/dev/mapper/${VG}-swap`) is a device all the same.
    let device = |a: &Arg| match target(a, scope) {
        Target::Path(p) => is_block_device(&p),
        _ => !a.exact && a.text.starts_with("/dev/") && is_block_device(Path::new(&*a.text)),
    };
    let operands: Vec<&Arg> = args.iter().filter(|a| !a.text.starts_with('-')).collect();
    let format = |what: &str| {
        Finding::deny(
            "disk-format",
            format!(
                "`{}` {what}. Ask the user to run it if it is really intended.",
                clamp(unit.display, 200)
            ),
        )
        .with_unit(clamp(unit.display, 200))
    };
    // A filesystem made in an image file (an existing plain file, or one under a temp root) wipes
    // nothing but that file.
    let image = |a: &Arg| match target(a, scope) {
        Target::Path(p) => {
            !is_block_device(&p)
                && (std::fs::metadata(&p).is_ok_and(|m| m.is_file())
                    || w.ctx().temp_roots.iter().any(|r| paths::within(&p, r)))
        }
        _ => false,
    };
    // The long option, or `short` in a cluster of short options (`-nv`) before any option that
    // takes the rest of the word as its value (mke2fs's `-Enodiscard` is `-E nodiscard`).
    let valued = match verb {
        v if v.starts_with("mkfs") || v == "mke2fs" => "bCEgGiIJlLmMNoOrtTUdez",
        "wipefs" => "oOtp",
        _ => "o",
    };
    let flag = |short: char, long: &str| {
        args.iter().any(|a| {
            a.text == long
                || (a.text.starts_with('-') && !a.text.starts_with("--") && {
                    let cluster = &a.text[1..];
                    let end = cluster
                        .find(|c| valued.contains(c))
                        .map_or(cluster.len(), |i| i);
                    cluster[..end].contains(short) || cluster[end..].starts_with(short)
                })
        })
    };
    let finding = match verb {
        v if (v.starts_with("mkfs") || v == "mke2fs")
            && operands.last().is_some_and(|a| image(a)) =>
        {
            None
        }
        // mke2fs -n shows what it would do; wipefs writes only with -a or -o, and never with
        // -n/--no-act.
        v if (v.starts_with("mkfs.ext") || v == "mke2fs") && flag('n', "--dry-run") => None,
        "wipefs"
            if flag('n', "--no-act")
                || !(flag('a', "--all")
                    || args.iter().any(|a| {
                        a.text == "-o" || a.text.starts_with("--offset") || a.text.starts_with("-o")
                    })) =>
        {
            None
        }
        // `zfs destroy -n` / `zpool ... -n` is a dry run.
        "zpool" | "zfs" if flag('n', "--dry-run") => None,
        // `sfdisk -d`/`--dump`, `-l`, `-s`, `-V` only read.
        "sfdisk"
            if args.iter().any(|a| {
                matches!(
                    a.text.as_str(),
                    "-d" | "--dump"
                        | "-J"
                        | "--json"
                        | "-l"
                        | "--list"
                        | "-s"
                        | "--show-size"
                        | "-V"
                        | "--verify"
                        | "-g"
                        | "--show-geometry"
                )
            }) =>
        {
            None
        }
        v if v.starts_with("mkfs") || v == "mke2fs" || v == "wipefs" => Some(format(
            "creates or erases a filesystem signature, wiping what is there",
        )),
        v if v.starts_with("newfs") || matches!(v, "mkdosfs" | "mkntfs" | "mkexfatfs") => {
            Some(format("creates a filesystem, wiping what is there"))
        }
        "diskutil"
            if operands.first().is_some_and(|a| {
                let t = a.text.to_ascii_lowercase();
                t.starts_with("erase")
                    || matches!(t.as_str(), "zerodisk" | "secureerase" | "partitiondisk")
            }) =>
        {
            Some(format("erases a disk"))
        }
        "hdparm"
            if args.iter().any(|a| {
                a.text.starts_with("--security-erase") || a.text.starts_with("--trim-sector-ranges")
            }) =>
        {
            Some(format("erases a disk"))
        }
        "zpool" | "zfs"
            if operands
                .first()
                .is_some_and(|a| matches!(a.text.as_str(), "destroy" | "labelclear")) =>
        {
            Some(format("destroys a pool or dataset"))
        }
        "lvremove" | "vgremove" | "pvremove" => {
            Some(format("removes logical volumes and the data on them"))
        }
        "pvcreate" | "vgcreate" | "vgextend" => Some(format(
            "writes LVM metadata over devices, replacing what they hold",
        )),
        "mdadm" if args.iter().any(|a| a.text == "--zero-superblock") => {
            Some(format("erases a RAID member's metadata"))
        }
        "badblocks"
            if args.iter().any(|a| {
                a.text.starts_with('-') && !a.text.starts_with("--") && a.text.contains('w')
            }) =>
        {
            Some(format("overwrites a whole disk with test patterns"))
        }
        "fdisk" | "gdisk" | "cfdisk"
            if operands.iter().any(|a| device(a))
                && !args
                    .iter()
                    .any(|a| matches!(a.text.as_str(), "-l" | "--list")) =>
        {
            Some(format("rewrites a partition table"))
        }
        "nvme"
            if matches!(
                operands.first().map(|a| a.text.as_str()),
                Some("format" | "sanitize")
            ) =>
        {
            Some(format("erases an NVMe namespace"))
        }
        "cryptsetup"
            if operands.iter().any(|a| {
                matches!(
                    a.text.as_str(),
                    "luksFormat" | "erase" | "luksErase" | "reencrypt"
                )
            }) =>
        {
            Some(format(
                "destroys the data or the keys of an encrypted device",
            ))
        }
        "mkswap" | "blkdiscard" | "sfdisk" if operands.iter().any(|a| device(a)) => {
            Some(format("erases a block device or its partition table"))
        }
        "sgdisk"
            if args.iter().any(|a| {
                matches!(
                    a.text.as_str(),
                    "-Z" | "--zap-all" | "-z" | "--zap" | "-o" | "--clear"
                )
            }) =>
        {
            Some(format("erases a partition table"))
        }
        // Deleting, creating or moving partitions rewrites the table (printing and verifying
        // do not).
        "sgdisk"
            if args.iter().any(|a| {
                let t = a.text.as_str();
                [
                    "-d",
                    "--delete",
                    "-n",
                    "--new",
                    "-t",
                    "--typecode",
                    "-e",
                    "--move-second-header",
                    "-g",
                    "--mbrtogpt",
                    "-m",
                    "--gpttombr",
                ]
                .iter()
                .any(|o| {
                    t == *o
                        || t.starts_with(&format!("{o}="))
                        || (o.len() == 2 && t.starts_with(o) && t.len() > 2)
                })
            }) && !args.iter().any(|a| {
                matches!(
                    a.text.as_str(),
                    "-p" | "--print" | "-i" | "--info" | "-v" | "--verify"
                )
            }) =>
        {
            Some(format("rewrites a partition table"))
        }
        "parted"
            if operands.iter().any(|a| {
                matches!(
                    a.text.to_ascii_lowercase().as_str(),
                    "rm" | "mklabel" | "mktable" | "mkpart" | "resizepart" | "mkpartfs"
                )
            }) =>
        {
            Some(format("rewrites a partition table"))
        }
        "btrfs"
            if operands.first().is_some_and(|a| a.text.starts_with("sub"))
                && operands
                    .get(1)
                    .is_some_and(|a| matches!(a.text.as_str(), "delete" | "del")) =>
        {
            Some(format("deletes a subvolume and everything in it"))
        }
        "parted"
            if args
                .iter()
                .any(|a| matches!(a.text.as_str(), "mklabel" | "mktable" | "rm")) =>
        {
            Some(format("rewrites a partition table"))
        }
        _ => None,
    };
    if let Some(f) = finding {
        w.report(f);
    }
}

pub fn perms(w: &mut Walker, unit: &Unit, scope: &Scope) {
    let s = scan(unit.args(), &Spec::gnu("", &["reference", "from"]));
    // `find ... -exec chmod MODE {} +` reaches everything below the start (`start/**`).
    let recursive = s.has_short('R')
        || s.has_long("recursive")
        || s.operands.iter().any(|o| o.text.ends_with("/**"));
    if !recursive {
        return;
    }
    // The first operand is the mode or owner, unless --reference gives it.
    let skip = usize::from(!s.has_long("reference") && unit.verb() != Some("setfacl"));
    let ctx = w.ctx();
    for op in s.operands.iter().skip(skip) {
        let why = match target(op, scope) {
            Target::Path(p) => {
                if p == Path::new("/") {
                    Some("the filesystem root")
                } else if crate::project::paths::SYSTEM_DIRS
                    .iter()
                    .any(|d| p == Path::new(d))
                {
                    Some("a system directory")
                } else if ctx.home.as_deref() == Some(p.as_path()) {
                    Some("the home directory")
                } else if ctx.root.parent() == Some(p.as_path()) {
                    Some("the project's parent directory")
                } else {
                    None
                }
            }
            Target::Glob { dir, .. } if dir == Path::new("/") => Some("every system directory"),
            Target::Glob { dir, pattern }
                if ctx.home.as_deref() == Some(dir.as_path())
                    || (ctx.root.parent() == Some(dir.as_path())
                        && (pattern == "*" || pattern.starts_with("**"))) =>
            {
                Some("everything in it")
            }
            _ => None,
        };
        if let Some(why) = why {
            w.report(
                Finding::deny(
                    "perm-recursive-system",
                    format!(
                        "`{}` changes permissions or ownership recursively on {why} (`{}`). Change \
                         the specific files that need it.",
                        clamp(unit.display, 200),
                        clamp(&op.text, 120)
                    ),
                )
                .with_unit(clamp(unit.display, 200)),
            );
            return;
        }
    }
}

/// What a system administration command changes, if it changes the system: installing or
/// removing packages, adding or changing users and groups, switching services on or off at boot,
/// and alternatives. Their read-only forms (`apt-get update`, `dpkg -l`, `systemctl status`,
/// `update-alternatives --display`) change nothing.
pub fn changes_system(verb: &str, args: &[Arg]) -> Option<(&'static str, &'static str)> {
    let first = args
        .iter()
        .map(|a| a.text.as_str())
        .find(|a| !a.starts_with('-'));
    let flag = |fs: &[&str]| {
        args.iter().any(|a| {
            let t = a.text.as_str();
            fs.contains(&t)
                || (t.starts_with('-')
                    && !t.starts_with("--")
                    && fs
                        .iter()
                        .any(|f| f.len() == 2 && !f.starts_with("--") && t[1..].contains(&f[1..])))
        })
    };
    let packages = ("the system's installed packages", "/usr");
    let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    match verb {
        // macOS administration: power, time zone, backups, the search index, boot-time agents,
        // firmware variables, host names, security policy.
        "pmset" if !words.iter().any(|w| matches!(*w, "-g" | "schedule")) && !words.is_empty() => {
            Some(("the machine's power settings", "/Library/Preferences"))
        }
        "systemsetup" if words.iter().any(|w| w.starts_with("-set")) => {
            Some(("the machine's system settings", "/etc"))
        }
        "tmutil"
            if first.is_some_and(|f| {
                f.starts_with("disable")
                    || f.starts_with("enable")
                    || f.starts_with("delete")
                    || f.starts_with("set")
                    || f.starts_with("remove")
                    || matches!(f, "thinlocalsnapshots" | "addexclusion" | "restore")
            }) =>
        {
            Some(("the machine's Time Machine backups", "/Library/Preferences"))
        }
        "mdutil" if flag(&["-E", "-i", "-d", "-X"]) => {
            Some(("a volume's Spotlight index", "/System/Volumes"))
        }
        "launchctl"
            if matches!(
                first,
                Some("enable" | "disable" | "bootout" | "bootstrap" | "remove")
            ) || matches!(first, Some("load" | "unload")) && flag(&["-w"]) =>
        {
            Some(("which services start at boot", "/Library/LaunchDaemons"))
        }
        "nvram" if first.is_some() && !flag(&["-p", "-x"]) => {
            Some(("the machine's firmware variables", "/System"))
        }
        "scutil" if words.contains(&"--set") => {
            Some(("the machine's names", "/Library/Preferences"))
        }
        "spctl" if words.iter().any(|w| w.contains("disable") || *w == "--add") => {
            Some(("the machine's code-signing policy", "/var/db"))
        }
        "csrutil" if matches!(first, Some("disable" | "enable" | "clear")) => {
            Some(("System Integrity Protection", "/System"))
        }
        "apt" | "apt-get" | "aptitude" => matches!(
            first,
            Some(
                "install"
                    | "remove"
                    | "purge"
                    | "autoremove"
                    | "upgrade"
                    | "dist-upgrade"
                    | "full-upgrade"
                    | "reinstall"
                    | "build-dep"
                    | "autopurge"
            )
        )
        .then_some(packages),
        "dnf" | "yum" | "microdnf" | "zypper" => matches!(
            first,
            Some(
                "install"
                    | "remove"
                    | "erase"
                    | "upgrade"
                    | "update"
                    | "autoremove"
                    | "reinstall"
                    | "downgrade"
                    | "in"
                    | "rm"
                    | "up"
                    | "dup"
                    | "dist-upgrade"
            )
        )
        .then_some(packages),
        "apk" => matches!(first, Some("add" | "del" | "upgrade")).then_some(packages),
        "snap" => matches!(first, Some("install" | "remove" | "refresh")).then_some(packages),
        "pacman" => {
            flag(&["-S", "-R", "-U", "--sync", "--remove", "--upgrade"]).then_some(packages)
        }
        "dpkg" => flag(&[
            "-i",
            "-r",
            "-P",
            "--install",
            "--remove",
            "--purge",
            "--unpack",
        ])
        .then_some(packages),
        "rpm" => (!flag(&["-q", "--query"])
            && flag(&[
                "-i",
                "-U",
                "-e",
                "-F",
                "--install",
                "--upgrade",
                "--erase",
                "--freshen",
            ]))
        .then_some(packages),
        "useradd" | "userdel" | "usermod" | "groupadd" | "groupdel" | "groupmod" | "adduser"
        | "deluser" | "addgroup" | "delgroup" | "chpasswd" | "gpasswd" | "chsh" | "chfn" => {
            Some(("the system's users and groups", "/etc/passwd"))
        }
        "passwd" if args.iter().any(|a| a.text.starts_with('-')) => {
            Some(("the system's users and groups", "/etc/shadow"))
        }
        // `crontab -l` reads; replacing it (a file, `-` for stdin) changes it; removing it (`-r`)
        // is the host pack's (it asks).
        "crontab" if !args.iter().any(|a| a.text == "-l" || a.text == "-r") => {
            Some(("the user's crontab", "/var/spool/cron"))
        }
        "npm" | "pnpm" | "yarn"
            if args
                .iter()
                .any(|a| matches!(a.text.as_str(), "-g" | "--global" | "global"))
                && args.iter().any(|a| {
                    matches!(
                        a.text.as_str(),
                        "uninstall" | "remove" | "rm" | "un" | "r" | "unlink"
                    )
                }) =>
        {
            // Removing a global package takes a tool away from every project; installing one adds
            // a tool (often under the user's own npm prefix), which loses nothing.
            Some(("the globally installed packages", "/usr/local/lib"))
        }
        "pip" | "pip3" | "uv"
            if args
                .iter()
                .any(|a| matches!(a.text.as_str(), "--break-system-packages" | "--system")) =>
        {
            Some(("the system's Python packages", "/usr/lib/python3"))
        }
        "deb-systemd-helper"
            if matches!(
                args.iter()
                    .map(|a| a.text.as_str())
                    .find(|a| !a.starts_with('-')),
                Some("was-enabled" | "debian-installed")
            ) =>
        {
            None
        }
        "update-rc.d" | "deb-systemd-helper" | "dpkg-maintscript-helper" | "ucf" => {
            Some(("the system's service and configuration files", "/etc"))
        }
        "systemctl" => matches!(
            first,
            Some("enable" | "disable" | "mask" | "unmask" | "preset" | "link" | "revert")
        )
        .then_some(("which services the system starts", "/etc/systemd/system")),
        "update-alternatives" => flag(&[
            "--install",
            "--remove",
            "--remove-all",
            "--set",
            "--auto",
            "--config",
            "--all",
        ])
        .then_some(("the system's alternatives", "/etc/alternatives")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_block_device;
    use std::path::Path;

    #[test]
    fn block_devices_are_recognized() {
        assert!(is_block_device(Path::new("/dev/sda")));
        assert!(is_block_device(Path::new("/dev/nvme0n1p1")));
        assert!(is_block_device(Path::new("/dev/mapper/root")));
        assert!(!is_block_device(Path::new("/dev/null")));
        assert!(!is_block_device(Path::new("/dev/stdout")));
        assert!(!is_block_device(Path::new("/tmp/sda")));
    }
}
