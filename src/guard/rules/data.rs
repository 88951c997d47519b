//! Data a project keeps outside its files: container volumes, and the databases that ORM and
//! framework tools drop or reset. The first rows of the containers and databases packs (issue
//! "Beyond the local disk"); SQL typed at a client is `sql`'s.

use super::Unit;
use crate::guard::{Arg, Walker};
use crate::hook::decision::{Finding, clamp};

/// What the command destroys, with its rule id, or `None` for anything else (a help or
/// dry-run form included).
fn destroys(verb: &str, args: &[&str]) -> Option<(&'static str, &'static str)> {
    // `-h` names the host to redis-cli and the mongo shells.
    let host_h = matches!(verb, "redis-cli" | "mongo" | "mongosh");
    if args
        .iter()
        .any(|a| matches!(*a, "--help" | "--dry-run" | "help") || (*a == "-h" && !host_h))
    {
        return None;
    }
    let has = |flags: &[&str]| {
        args.iter()
            .any(|a| flags.contains(a) || short_has(a, flags))
    };
    // `--volumes=true` is `--volumes`.
    let flag_args: Vec<&str> = args
        .iter()
        .map(|a| a.strip_suffix("=true").unwrap_or(a))
        .collect();
    let has = |flags: &[&str]| has(flags) || flag_args.iter().any(|a| flags.contains(a));
    // The words that are not options, without the values of the global options that take one
    // (`docker --context prod volume rm`, `docker compose -f dev.yml down`).
    let words = super::infra::operands(args, VALUED);
    const VOLUMES: (&str, &str) = (
        "container-volume-delete",
        "deletes container volumes, and the data kept in them",
    );
    const RESET: (&str, &str) = ("db-reset", "drops or resets the database, and its data");
    match verb {
        "docker" | "podman" | "nerdctl" => match words.as_slice() {
            ["volume", "rm" | "remove" | "prune", ..] => Some(VOLUMES),
            ["system", "prune", ..] if has(&["--volumes"]) => Some(VOLUMES),
            // `podman system reset` removes every container, image and volume.
            ["system", "reset", ..] => Some(VOLUMES),
            ["compose", ..] => compose(words.get(1).copied(), &has),
            ["rm", ..] | ["container", "rm", ..] if has(&["-v", "--volumes"]) => Some(VOLUMES),
            _ => None,
        },
        "docker-compose" | "podman-compose" => compose(words.first().copied(), &has),
        "prisma" => {
            let pair = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
            if pair("migrate", "reset")
                || pair("db", "push") && has(&["--force-reset", "--accept-data-loss"])
            {
                Some(RESET)
            } else {
                None
            }
        }
        // Laravel's artisan, Phoenix's mix.
        "php" | "artisan" | "./artisan" | "console"
            if verb != "php"
                || words
                    .first()
                    .is_some_and(|f| f.ends_with("artisan") || f.ends_with("console")) =>
        {
            let rest = if verb == "php" {
                &words[1..]
            } else {
                &words[..]
            };
            // Laravel's resets; Doctrine's (Symfony's bin/console, also through artisan) drops
            // and forced schema updates, which drop what the mapping lacks.
            let doctrine = matches!(
                rest.first(),
                Some(
                    &("doctrine:schema:drop" | "doctrine:database:drop" | "doctrine:schema:update")
                )
            ) && has(&["--force", "-f"]);
            (doctrine
                || matches!(
                    rest.first(),
                    Some(&("migrate:fresh" | "migrate:reset" | "migrate:refresh" | "db:wipe"))
                ))
            .then_some(RESET)
        }
        "mix" => matches!(words.first(), Some(&("ecto.reset" | "ecto.drop"))).then_some(RESET),
        // Redis: every key of the server, or of one database.
        "redis-cli" => args
            .iter()
            .any(|a| a.eq_ignore_ascii_case("flushall") || a.eq_ignore_ascii_case("flushdb"))
            .then_some(RESET),
        "mongosh" | "mongo" => args
            .iter()
            .any(|a| a.contains("dropDatabase(") || a.contains(".drop("))
            .then_some(RESET),
        "heroku" => matches!(words.first(), Some(&"pg:reset")).then_some(RESET),
        // Rails and rake tasks.
        "rails" | "rake" => words
            .iter()
            .any(|w| {
                matches!(
                    *w,
                    "db:drop"
                        | "db:reset"
                        | "db:migrate:reset"
                        | "db:schema:load"
                        | "db:purge"
                        | "db:truncate_all"
                        // db:create, then db:schema:load over an existing database.
                        | "db:setup"
                ) || w.starts_with("db:drop:")
                    || w.starts_with("db:purge:")
            })
            .then_some(RESET),
        // Django: `python manage.py flush` (or `./manage.py flush`) empties every table.
        "python" | "python3" | "django-admin" | "manage.py"
            if verb != "python" && verb != "python3"
                || words.iter().any(|f| f.ends_with("manage.py")) =>
        {
            let rest = match words.iter().position(|f| f.ends_with("manage.py")) {
                Some(i) if verb.starts_with("python") => &words[i + 1..],
                _ => &words[..],
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
        // Migration tools: dropping the database, cleaning the schema, or undoing every
        // migration (which drops every table they made).
        "dotnet" => matches!(words.as_slice(), ["ef", "database", "drop", ..]).then_some(RESET),
        "alembic" => matches!(words.as_slice(), ["downgrade", "base", ..]).then_some(RESET),
        "flask" => matches!(words.as_slice(), ["db", "downgrade", "base", ..]).then_some(RESET),
        "knex" => (words.first() == Some(&"migrate:rollback") && has(&["--all"])).then_some(RESET),
        "diesel" | "sqlx" => {
            matches!(words.as_slice(), ["database", "drop" | "reset", ..]).then_some(RESET)
        }
        "dbmate" => (words.first() == Some(&"drop")).then_some(RESET),
        "flyway" => words.contains(&"clean").then_some(RESET),
        "liquibase" => words
            .iter()
            .any(|w| w.eq_ignore_ascii_case("drop-all") || w.eq_ignore_ascii_case("dropall"))
            .then_some(RESET),
        "goose" => words
            .windows(2)
            .any(|w| w[1] == "reset" || w == ["down-to", "0"])
            .then_some(RESET),
        // golang-migrate: `migrate -path m -database URL drop -f`.
        "migrate" if args.iter().any(|a| a.starts_with("-database")) => {
            words.contains(&"drop").then_some(RESET)
        }
        "atlas" => matches!(words.as_slice(), ["schema", "clean", ..]).then_some(RESET),
        _ => None,
    }
}

/// The commands [`judge`] reads.
pub fn is_data_tool(verb: &str) -> bool {
    matches!(
        verb,
        "docker"
            | "podman"
            | "nerdctl"
            | "docker-compose"
            | "podman-compose"
            | "prisma"
            | "rails"
            | "rake"
            | "python"
            | "python3"
            | "django-admin"
            | "manage.py"
            | "php"
            | "artisan"
            | "console"
            | "mix"
            | "heroku"
            | "redis-cli"
            | "mongosh"
            | "mongo"
            | "sequelize"
            | "sequelize-cli"
            | "typeorm"
            | "typeorm-ts-node-commonjs"
            | "typeorm-ts-node-esm"
            | "supabase"
            | "dotnet"
            | "alembic"
            | "flask"
            | "knex"
            | "diesel"
            | "sqlx"
            | "dbmate"
            | "flyway"
            | "liquibase"
            | "goose"
            | "migrate"
            | "atlas"
    )
}

/// Options of docker, podman and compose that take a value in the next word.
const VALUED: &[&str] = &[
    "--context",
    "-c",
    "-H",
    "--host",
    "--log-level",
    "-l",
    "--config",
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--profile",
    "--env-file",
    "--project-directory",
    "--ansi",
    "--progress",
];

/// What a compose subcommand does to volumes: `down -v` and `rm -v` delete them.
fn compose(
    sub: Option<&str>,
    has: &dyn Fn(&[&str]) -> bool,
) -> Option<(&'static str, &'static str)> {
    (matches!(sub, Some("down" | "rm")) && has(&["-v", "--volumes"])).then_some((
        "container-volume-delete",
        "deletes container volumes, and the data kept in them",
    ))
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

/// The command `docker exec`, `docker compose exec`, `podman exec` or `kubectl exec` runs inside
/// a container: its files are the container's, but what it does to a database or a data store
/// it reaches is done all the same.
fn exec_inner<'a>(verb: &str, args: &'a [Arg]) -> Option<&'a [Arg]> {
    const EXEC_VALUED: &[&str] = &[
        "-e",
        "--env",
        "-u",
        "--user",
        "-w",
        "--workdir",
        "--env-file",
        "--detach-keys",
        "--index",
        "-c",
        "--container",
        "-n",
        "--namespace",
        "--context",
        "-H",
        "--host",
        "--log-level",
        "-f",
        "--file",
        "-p",
        "--project-name",
        "--profile",
        "--kubeconfig",
    ];
    let at = args.iter().position(|a| a.text == "exec")?;
    let before: Vec<&str> = args[..at]
        .iter()
        .map(|a| a.text.as_str())
        .filter(|t| !t.starts_with('-'))
        .collect();
    let ok = match verb {
        "docker" | "podman" | "nerdctl" => {
            before.is_empty() || before == ["compose"] || before == ["container"]
        }
        "docker-compose" | "podman-compose" | "kubectl" | "oc" => true,
        _ => false,
    };
    if !ok {
        return None;
    }
    let rest = &args[at + 1..];
    // `kubectl exec POD -- CMD`: after `--`.
    if let Some(dd) = rest.iter().position(|a| a.text == "--") {
        return Some(&rest[dd + 1..]);
    }
    let mut i = 0;
    while i < rest.len() {
        let t = rest[i].text.as_str();
        if t.starts_with('-') {
            i += if EXEC_VALUED.contains(&t) { 2 } else { 1 };
            continue;
        }
        // The container (or service, or pod); the command follows.
        return rest.get(i + 1..).filter(|r| !r.is_empty());
    }
    None
}

/// Judges what a command run inside a container does to data: SQL and the data tools.
pub fn in_container(w: &mut Walker, unit: &Unit, verb: &str, scope: &crate::guard::Scope) {
    let Some(inner) = exec_inner(verb, unit.args()) else {
        return;
    };
    let inner_unit = Unit {
        words: inner,
        stdin: unit.stdin,
        display: unit.display,
    };
    let Some(v) = inner_unit.verb() else { return };
    let v = v.to_string();
    match v.as_str() {
        "psql" | "mysql" | "mariadb" | "sqlite3" | "duckdb" => {
            super::sql::client(w, &inner_unit, &v, scope)
        }
        "sh" | "bash" | "dash" => {
            // `docker exec db sh -c "psql -c 'DROP ...'"`: the code's data commands.
            if let Some(code) = inner
                .windows(2)
                .find(|p| p[0].text == "-c" && p[1].exact)
                .map(|p| p[1].text.to_string())
                && (code.contains("psql") || code.contains("mysql") || code.contains("redis-cli"))
            {
                // Files the code names are the container's: only data findings count.
                w.data_only(|w| w.run_code(&code, &mut scope.clone(), unit.display));
            }
        }
        v if is_data_tool(v) || v == "redis-cli" || v == "mongosh" || v == "mongo" => {
            judge(w, &inner_unit, v)
        }
        _ => {}
    }
}

/// Whether mongo shell code deletes every document of a collection (`deleteMany({})`,
/// `remove({})`): the document store's DELETE without WHERE.
fn mongo_delete_all(code: &str) -> bool {
    let flat: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    ["deleteMany({})", "deleteMany()", "remove({})"]
        .iter()
        .any(|f| flat.contains(f))
}

/// Denies a command that destroys a volume or a database.
pub fn judge(w: &mut Walker, unit: &Unit, verb: &str) {
    let args: Vec<&str> = unit.args().iter().map(|a| a.text.as_str()).collect();
    if matches!(verb, "mongo" | "mongosh") && args.iter().any(|a| mongo_delete_all(a)) {
        let shown = clamp(unit.display, 200);
        w.report(
            Finding::new(
                crate::hook::decision::Verdict::Ask,
                "sql-delete-all",
                format!(
                    "`{shown}` deletes every document of a collection (a filter that matches \
                     all). Give the filter that names the documents you mean, or ask the user."
                ),
            )
            .with_unit(shown),
        );
    }
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
        // The walker hands over the command's name without its directory.
        let verb = words[0].rsplit('/').next().unwrap_or_default();
        destroys(verb, &words[1..]).map(|(r, _)| r)
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
            "docker --context prod volume rm data",
            "docker compose rm -fsv",
            "podman system reset -f",
            "docker system prune --all --force --volumes=true",
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
            "./manage.py flush",
            "python -W ignore manage.py flush",
            "php artisan migrate:fresh --seed",
            "php bin/console doctrine:schema:update --force",
            "bin/console doctrine:database:drop --force",
            "bin/rails db:setup",
            "mix ecto.reset",
            "heroku pg:reset DATABASE_URL",
            "redis-cli -n 2 FLUSHDB",
            "rails db:truncate_all",
            "prisma --schema x.prisma migrate reset",
            "redis-cli -h cache.internal FLUSHALL ASYNC",
            "dotnet ef database drop --force",
            "alembic downgrade base",
            "flask db downgrade base",
            "knex migrate:rollback --all",
            "diesel database reset",
            "sqlx database drop -y",
            "dbmate drop",
            "flyway -url=jdbc:x clean",
            "liquibase dropAll",
            "goose postgres postgres://x reset",
            "migrate -path db/m -database postgres://x drop -f",
            "atlas schema clean -u mysql://x",
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
            "docker container run -v data:/app node npm test",
            "docker compose run --rm migrate -path /m down -v",
            "php artisan migrate",
            "php bin/console doctrine:schema:update --dump-sql",
            "redis-cli get flushall-count",
            "redis-cli -h cache.internal get k",
            "dotnet ef database update",
            "alembic downgrade -1",
            "knex migrate:rollback",
            "diesel migration run",
            "dbmate up",
            "flyway migrate",
            "goose postgres postgres://x up",
            "migrate -path db/m -database postgres://x up",
            "atlas schema apply -u mysql://x",
        ] {
            assert_eq!(rule(cmd), None, "{cmd}");
        }
    }
}
