//! Rule packs: the rows of the decision table for destruction beyond the project's files, grouped
//! by domain. A policy switches a whole pack or one row off (`disable`), or has it ask instead of
//! deny (`ask`), by id; `so-hook rules` lists them.

use crate::hook::decision::Verdict;

/// One row: a rule id, how it answers by default, and what it stops.
pub struct Row {
    pub id: &'static str,
    pub verdict: Verdict,
    pub what: &'static str,
}

/// A pack: its id, what it covers, its rows.
pub struct Pack {
    pub id: &'static str,
    pub what: &'static str,
    pub rows: &'static [Row],
}

const fn deny(id: &'static str, what: &'static str) -> Row {
    Row {
        id,
        verdict: Verdict::Deny,
        what,
    }
}

const fn ask(id: &'static str, what: &'static str) -> Row {
    Row {
        id,
        verdict: Verdict::Ask,
        what,
    }
}

/// Every pack, in the order `so-hook rules` lists them.
pub const PACKS: &[Pack] = &[
    Pack {
        id: "databases",
        what: "databases dropped, emptied or reset",
        rows: &[
            deny(
                "sql-drop",
                "DROP TABLE|DATABASE|SCHEMA or TRUNCATE sent to a database client",
            ),
            deny("dropdb", "dropdb, mysqladmin drop, pg_restore --clean"),
            ask("sql-delete-all", "DELETE or UPDATE without WHERE (asks)"),
            deny(
                "db-reset",
                "a database reset by its tool (prisma migrate reset, rails db:drop, manage.py \
                 flush, artisan migrate:fresh, redis-cli FLUSHALL, ...), also inside a container",
            ),
        ],
    },
    Pack {
        id: "containers",
        what: "container volumes and the data in them",
        rows: &[deny(
            "container-volume-delete",
            "docker/podman volume rm/prune, system prune --volumes, system reset, compose down -v",
        )],
    },
    Pack {
        id: "iac",
        what: "infrastructure as code torn down",
        rows: &[deny(
            "iac-destroy",
            "terraform/tofu/terragrunt destroy, apply -destroy, pulumi destroy, cdk destroy, \
             serverless remove",
        )],
    },
    Pack {
        id: "clusters",
        what: "cluster resources deleted",
        rows: &[deny(
            "cluster-delete",
            "kubectl/oc delete of namespaces, projects, volumes, definitions, nodes or --all; helm \
             uninstall",
        )],
    },
    Pack {
        id: "cloud",
        what: "cloud resources deleted",
        rows: &[deny(
            "cloud-delete",
            "aws s3 rm --recursive, s3 rb --force, delete-*/terminate-*; gcloud ... delete; \
             gsutil rm -r, rb; az ... delete; heroku apps:destroy, fly destroy, firebase \
             firestore:delete",
        )],
    },
    Pack {
        id: "hosting",
        what: "hosted repositories, releases and published packages",
        rows: &[
            deny(
                "hosted-delete",
                "gh/glab repo delete, release delete; npm unpublish",
            ),
            ask("registry-yank", "cargo yank, gem yank (asks)"),
        ],
    },
    Pack {
        id: "disks",
        what: "block devices and file systems",
        rows: &[
            deny("disk-write", "writing to a block device"),
            deny(
                "disk-format",
                "mkfs, wipefs and other tools that erase a disk",
            ),
        ],
    },
    Pack {
        id: "host",
        what: "the machine itself",
        rows: &[ask(
            "host-disrupt",
            "reboot, shutdown, halt, poweroff, systemctl reboot, kill -9 -1, crontab -r (asks)",
        )],
    },
];

/// The pack a rule id belongs to.
pub fn pack_of(rule: &str) -> Option<&'static Pack> {
    PACKS.iter().find(|p| p.rows.iter().any(|r| r.id == rule))
}

/// Whether `id` names a pack.
pub fn is_pack(id: &str) -> bool {
    PACKS.iter().any(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_row_is_a_built_in_rule() {
        let mut ids: Vec<&str> = PACKS.iter().map(|p| p.id).collect();
        for p in PACKS {
            for r in p.rows {
                assert!(
                    super::super::is_builtin(r.id),
                    "{} is no built-in rule",
                    r.id
                );
                ids.push(r.id);
            }
        }
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "an id is used twice");
    }
}
