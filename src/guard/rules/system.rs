//! Disks and permissions: writes to block devices, tools that erase disks, and recursive
//! permission or owner changes over the system, home or the whole project.

use crate::decision::{Finding, clamp};
use crate::guard::args::{Spec, scan};
use crate::guard::{Arg, Scope, Target, Unit, Walker, target};
use crate::paths;
use std::path::Path;

/// Device name prefixes of block devices (`/dev/sda1`, `/dev/nvme0n1p2`, `/dev/mapper/x`, ...).
const BLOCK_DEVICES: &[&str] = &[
    "sd", "hd", "vd", "xvd", "nvme", "mmcblk", "md", "dm-", "disk", "loop", "mapper/", "nbd",
    "rbd", "zd", "bcache", "sr",
];

/// Whether a path names a block device.
pub fn is_block_device(p: &Path) -> bool {
    let Ok(rest) = p.strip_prefix("/dev") else {
        return false;
    };
    let rest = rest.to_string_lossy();
    BLOCK_DEVICES.iter().any(|d| rest.starts_with(d))
}

/// Top-level directories of the system, where a recursive permission change breaks the machine.
const SYSTEM_DIRS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/usr",
    "/var",
    "/snap",
    "/mnt",
    "/media",
    "/Users",
    "/System",
    "/Library",
    "/Applications",
    "/private",
];

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
                | "nvme"
                | "cryptsetup"
        )
}

pub fn disk_tool(w: &mut Walker, unit: &Unit, scope: &Scope) {
    let Some(verb) = unit.verb() else {
        return;
    };
    let args = unit.args();
    let device = |a: &Arg| matches!(target(a, scope), Target::Path(p) if is_block_device(&p));
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
    let finding = match verb {
        v if (v.starts_with("mkfs") || v == "mke2fs")
            && operands.last().is_some_and(|a| image(a)) =>
        {
            None
        }
        v if v.starts_with("mkfs") || v == "mke2fs" || v == "wipefs" => Some(format(
            "creates or erases a filesystem signature, wiping what is there",
        )),
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
    let recursive = s.has_short('R') || s.has_long("recursive");
    if !recursive {
        return;
    }
    // The first operand is the mode or owner, unless --reference gives it.
    let skip = usize::from(!s.has_long("reference"));
    let ctx = w.ctx();
    for op in s.operands.iter().skip(skip) {
        let why = match target(op, scope) {
            Target::Path(p) => {
                if p == Path::new("/") {
                    Some("the filesystem root")
                } else if SYSTEM_DIRS.iter().any(|d| p == Path::new(d)) {
                    Some("a system directory")
                } else if ctx.home.as_deref() == Some(p.as_path()) {
                    Some("the home directory")
                } else if p == ctx.root {
                    Some("the whole project")
                } else if ctx.root.parent() == Some(p.as_path()) {
                    Some("the project's parent directory")
                } else {
                    None
                }
            }
            Target::Glob { dir, .. } if dir == Path::new("/") => Some("every system directory"),
            Target::Glob { dir, pattern }
                if ctx.home.as_deref() == Some(dir.as_path())
                    || (dir == ctx.root && pattern == "*") =>
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
