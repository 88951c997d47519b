//! Data a project keeps outside its files: container volumes, and the databases that ORM and
//! framework tools drop or reset. The first rows of the containers and databases packs (issue
//! "Beyond the local disk"); SQL typed at a client is `sql`'s.

use super::Unit;
use crate::guard::Walker;
use crate::hook::decision::{Finding, clamp};

/// What the command destroys, with its rule id, or `None` for anything else (a help or
/// dry-run form included).
fn destroys(verb: &str, args: &[&str]) -> Option<(&'static str, &'static str)> {
    if args
        .iter()
        .any(|a| matches!(*a, "-h" | "--help" | "--dry-run" | "help"))
    {
        return None;
    }
    let has = |flags: &[&str]| {
        args.iter()
            .any(|a| flags.contains(a) || short_has(a, flags))
    };
    let words: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    const VOLUMES: (&str, &str) = (
        "container-volume-delete",
        "deletes container volumes, and the data kept in them",
    );
    const RESET: (&str, &str) = ("db-reset", "drops or resets the database, and its data");
    match verb {
        "docker" | "podman" | "nerdctl" => match words.as_slice() {
            ["volume", "rm" | "remove" | "prune", ..] => Some(VOLUMES),
            ["system", "prune", ..] if has(&["--volumes"]) => Some(VOLUMES),
            ["compose", rest @ ..] if rest.contains(&"down") && has(&["-v", "--volumes"]) => {
                Some(VOLUMES)
            }
            ["rm" | "container", ..] if has(&["-v", "--volumes"]) => Some(VOLUMES),
            _ => None,
        },
        "docker-compose" | "podman-compose" => {
            (words.contains(&"down") && has(&["-v", "--volumes"])).then_some(VOLUMES)
        }
        "prisma" => match words.as_slice() {
            ["migrate", "reset", ..] => Some(RESET),
            ["db", "push", ..] if has(&["--force-reset", "--accept-data-loss"]) => Some(RESET),
            _ => None,
        },
        // Rails and rake tasks.
        "rails" | "rake" | "bin/rails" | "bin/rake" => words
            .iter()
            .any(|w| {
                matches!(
                    *w,
                    "db:drop" | "db:reset" | "db:migrate:reset" | "db:schema:load" | "db:purge"
                ) || w.starts_with("db:drop:")
                    || w.starts_with("db:purge:")
            })
            .then_some(RESET),
        // Django: `python manage.py flush` empties every table.
        "python" | "python3" | "django-admin"
            if verb == "django-admin"
                || words.first().is_some_and(|f| f.ends_with("manage.py")) =>
        {
            let rest = if verb == "django-admin" {
                &words[..]
            } else {
                &words[1..]
            };
            matches!(rest.first(), Some(&("flush" | "reset_db" | "sqlflush"))).then_some(RESET)
        }
        "sequelize" | "sequelize-cli" => {
            matches!(words.first(), Some(&("db:drop" | "db:migrate:undo:all"))).then_some(RESET)
        }
        "typeorm" | "typeorm-ts-node-commonjs" | "typeorm-ts-node-esm" => {
            (words.first() == Some(&"schema:drop")).then_some(RESET)
        }
        "supabase" => matches!(words.as_slice(), ["db", "reset", ..]).then_some(RESET),
        _ => None,
    }
}

/// A short-option cluster (`-fv`) that holds one of the one-letter flags.
fn short_has(arg: &str, flags: &[&str]) -> bool {
    let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.starts_with('-')) else {
        return false;
    };
    flags
        .iter()
        .any(|f| f.len() == 2 && !f.starts_with("--") && cluster.contains(&f[1..]))
}

/// Denies a command that destroys a volume or a database.
pub fn judge(w: &mut Walker, unit: &Unit, verb: &str) {
    let args: Vec<&str> = unit.args().iter().map(|a| a.text.as_str()).collect();
    if let Some((rule, what)) = destroys(verb, &args) {
        let shown = clamp(unit.display, 200);
        w.report(
            Finding::deny(
                rule,
                format!(
                    "`{shown}` {what}, which no file in the project brings back. Ask the user to \
                     run it if the data is really meant to go."
                ),
            )
            .with_unit(shown),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::destroys;

    fn rule(cmd: &str) -> Option<&'static str> {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        destroys(words[0], &words[1..]).map(|(r, _)| r)
    }

    #[test]
    fn volumes_and_databases_that_go_with_their_data_are_named() {
        for cmd in [
            "docker system prune -a --volumes",
            "docker volume prune -f",
            "docker volume rm app_db",
            "docker compose down -v",
            "docker-compose down --volumes",
            "docker compose -f dev.yml down -v",
            "docker rm -fv db",
            "podman volume rm x",
        ] {
            assert_eq!(rule(cmd), Some("container-volume-delete"), "{cmd}");
        }
        for cmd in [
            "prisma migrate reset --force",
            "prisma db push --accept-data-loss",
            "prisma db push --force-reset",
            "rails db:drop",
            "bin/rails db:reset",
            "rake db:schema:load",
            "python manage.py flush --noinput",
            "sequelize db:drop",
            "typeorm schema:drop",
            "supabase db reset",
        ] {
            assert_eq!(rule(cmd), Some("db-reset"), "{cmd}");
        }
    }

    #[test]
    fn their_everyday_and_dry_run_forms_pass() {
        for cmd in [
            "docker system prune -a",
            "docker compose down",
            "docker image prune -f",
            "docker rm -f web",
            "docker volume ls",
            "docker compose down -v --help",
            "prisma migrate dev",
            "prisma db push",
            "prisma migrate reset --help",
            "rails db:migrate",
            "rake db:seed",
            "python manage.py migrate",
            "python script.py flush",
            "supabase db push",
        ] {
            assert_eq!(rule(cmd), None, "{cmd}");
        }
    }
}
