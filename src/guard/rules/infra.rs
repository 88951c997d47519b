//! Destruction beyond the local disk: infrastructure as code, clusters, cloud resources, hosted
//! repositories and registries, and the host itself. Each row names what goes (the stack, the
//! namespace, the bucket, the repository); a mode that changes nothing (`--dry-run`, `plan`,
//! `--help`, `get`, `list`) passes.

use super::Unit;
use crate::guard::Walker;
use crate::hook::decision::{Finding, Verdict, clamp};

/// A destructive form found: the rule, how it is answered, and what it destroys.
pub(super) struct Hit {
    pub(super) rule: &'static str,
    pub(super) verdict: Verdict,
    pub(super) what: String,
}

pub(super) fn deny(rule: &'static str, what: String) -> Option<Hit> {
    Some(Hit {
        rule,
        verdict: Verdict::Deny,
        what,
    })
}

pub(super) fn ask(rule: &'static str, what: String) -> Option<Hit> {
    Some(Hit {
        rule,
        verdict: Verdict::Ask,
        what,
    })
}

/// Whether the command only shows what it would do.
fn dry_run(args: &[&str]) -> bool {
    args.iter().any(|a| {
        matches!(
            *a,
            "-h" | "-help"
                | "--help"
                | "help"
                | "--dry-run"
                | "--dryrun"
                | "--preview"
                | "--preview-only"
        ) || (a.starts_with("--dry-run=") && !a.ends_with("=none"))
    })
}

/// The words that are not options, without the values of the options listed as taking one.
pub(super) fn operands<'a>(args: &[&'a str], valued: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if a.starts_with('-') {
            skip = valued.contains(a);
            continue;
        }
        out.push(*a);
    }
    out
}

/// The commands [`judge`] reads.
pub fn is_infra_tool(verb: &str) -> bool {
    matches!(
        verb,
        "terraform"
            | "tofu"
            | "terragrunt"
            | "pulumi"
            | "heroku"
            | "flyctl"
            | "fly"
            | "firebase"
            | "vercel"
            | "netlify"
            | "cdk"
            | "cdktf"
            | "serverless"
            | "sls"
            | "kubectl"
            | "oc"
            | "helm"
            | "aws"
            | "gcloud"
            | "gsutil"
            | "az"
            | "doctl"
            | "hcloud"
            | "gem"
            | "gh"
            | "glab"
            | "npm"
            | "pnpm"
            | "yarn"
            | "cargo"
            | "mkdocs"
            | "reboot"
            | "shutdown"
            | "halt"
            | "poweroff"
            | "systemctl"
            | "kill"
            | "killall5"
            | "crontab"
    )
}

fn hit(verb: &str, args: &[&str]) -> Option<Hit> {
    // `shutdown -h` halts: it is not asking for help.
    if (verb != "shutdown" || args.contains(&"--help")) && dry_run(args) {
        return None;
    }
    let has = |f: &str| args.contains(&f);
    match verb {
        // Infrastructure as code: everything the state holds.
        "terraform" | "tofu" | "terragrunt" | "cdktf" => {
            let ops = operands(args, &["-var", "-var-file", "-target", "-chdir", "-state"]);
            let destroy = ops.first() == Some(&"destroy")
                || ops.first() == Some(&"apply") && args.contains(&"-destroy");
            let all = verb == "terragrunt" && ops.first() == Some(&"run-all");
            if destroy || all && ops.get(1) == Some(&"destroy") {
                return deny(
                    "iac-destroy",
                    "destroys every resource of the stack's state".into(),
                );
            }
            match ops.as_slice() {
                // Terraform refuses a workspace whose state is not empty, unless forced.
                ["workspace", "delete", name, ..] if has("-force") || has("--force") => deny(
                    "iac-destroy",
                    format!("deletes the workspace `{name}` and the state of what it manages"),
                ),
                ["workspace", "delete", name, ..] => ask(
                    "iac-destroy",
                    format!("deletes the workspace `{name}` and its state"),
                ),
                ["state", "rm", ..] => ask(
                    "iac-destroy",
                    "makes the state forget resources, which then run on unmanaged".into(),
                ),
                _ => None,
            }
        }
        // Platforms that host the app: destroying the app takes its machines, volumes and
        // add-ons.
        "heroku" => matches!(
            operands(args, &["-a", "--app", "-r", "--remote", "--confirm"]).first(),
            Some(&("apps:destroy" | "apps:delete" | "addons:destroy"))
        )
        .then_some(())
        .and_then(|_| {
            deny(
                "cloud-delete",
                "destroys a hosted app or add-on and its data".into(),
            )
        }),
        "flyctl" | "fly" => {
            let ops = operands(args, &["-a", "--app", "-c", "--config", "-r", "--region"]);
            match ops.as_slice() {
                [
                    "apps" | "app" | "volumes" | "volume" | "postgres",
                    "destroy" | "delete" | "remove",
                    ..,
                ]
                | ["destroy", ..] => deny(
                    "cloud-delete",
                    "destroys a hosted app, volume or database".into(),
                ),
                _ => None,
            }
        }
        "firebase" => match args.first() {
            Some(op) if op.starts_with("firestore:delete") || op.starts_with("database:remove") => {
                deny(
                    "cloud-delete",
                    "deletes hosted database documents or collections".into(),
                )
            }
            Some(&("projects:delete" | "hosting:disable" | "functions:delete")) => deny(
                "cloud-delete",
                "deletes hosted resources of the project".into(),
            ),
            _ => None,
        },
        "vercel" | "netlify" => {
            let ops = operands(args, &["--scope", "--token", "-t"]);
            let removes = matches!(
                ops.as_slice(),
                ["remove" | "rm" | "sites:delete", ..]
                    | ["projects" | "project", "rm" | "remove", ..]
            );
            if removes {
                deny(
                    "hosted-delete",
                    "deletes a hosted project or deployment".into(),
                )
            } else {
                None
            }
        }
        "pulumi" => {
            let ops = operands(args, &["-s", "--stack", "-C", "--cwd"]);
            match ops.as_slice() {
                ["destroy" | "down", ..] => {
                    deny("iac-destroy", "destroys every resource of the stack".into())
                }
                // `--force` removes a stack that still has resources, leaving them unmanaged.
                ["stack", "rm" | "remove", ..] if has("--force") || has("-f") => deny(
                    "iac-destroy",
                    "removes the stack, its history and its configuration, and leaves its \
                     resources unmanaged"
                        .into(),
                ),
                ["stack", "rm" | "remove", ..] => ask(
                    "iac-destroy",
                    "removes the stack, its history and its configuration".into(),
                ),
                ["state", "delete", ..] => ask(
                    "iac-destroy",
                    "makes the state forget a resource, which then runs on unmanaged".into(),
                ),
                _ => None,
            }
        }
        "cdk" => (operands(args, &["-a", "--app", "--profile"]).first() == Some(&"destroy"))
            .then_some(())
            .and_then(|_| deny("iac-destroy", "destroys the CloudFormation stacks".into())),
        "serverless" | "sls" => (args.first() == Some(&"remove"))
            .then_some(())
            .and_then(|_| {
                deny(
                    "iac-destroy",
                    "removes the deployed service and its resources".into(),
                )
            }),
        // Clusters: namespaces and everything in them, volumes, definitions, everything at once.
        "kubectl" | "oc" => {
            let ops = operands(args, KUBECTL_VALUED);
            if ops.first() != Some(&"delete") {
                return None;
            }
            let everything = has("--all") || has("-A") || has("--all-namespaces");
            let kind = ops
                .get(1)
                .map(|k| k.to_ascii_lowercase())
                .unwrap_or_default();
            let kind = kind.split('/').next().unwrap_or_default().to_string();
            let broad = matches!(
                kind.as_str(),
                "namespace"
                    | "namespaces"
                    | "ns"
                    | "project"
                    | "projects"
                    | "pvc"
                    | "persistentvolumeclaim"
                    | "persistentvolumeclaims"
                    | "pv"
                    | "persistentvolume"
                    | "persistentvolumes"
                    | "crd"
                    | "crds"
                    | "customresourcedefinition"
                    | "customresourcedefinitions"
                    | "node"
                    | "nodes"
            );
            let named = ops.get(2..).unwrap_or_default().join(" ");
            if broad {
                deny(
                    "cluster-delete",
                    format!("deletes the {kind} `{named}` and what it holds"),
                )
            } else if everything {
                deny("cluster-delete", format!("deletes every {kind} it selects"))
            } else {
                None
            }
        }
        "helm" => {
            let ops = operands(args, &["-n", "--namespace", "--kube-context"]);
            matches!(ops.first(), Some(&("uninstall" | "delete" | "del" | "un")))
                .then_some(())
                .and_then(|_| {
                    deny(
                        "cluster-delete",
                        format!(
                            "uninstalls the release `{}` and its resources",
                            ops.get(1..).unwrap_or_default().join(" ")
                        ),
                    )
                })
        }
        "aws" | "gcloud" | "gsutil" | "az" | "doctl" | "hcloud" => super::cloud::hit(verb, args),
        // Hosted repositories and registries.
        "gh" | "glab" => {
            let ops = operands(
                args,
                &[
                    "-R", "--repo", "-X", "--method", "-H", "--header", "-f", "-F", "--jq",
                ],
            );
            match ops.as_slice() {
                ["repo", "delete", ..] => {
                    deny("hosted-delete", "deletes a hosted repository".into())
                }
                ["release" | "gist" | "snippet", "delete", ..] => {
                    deny("hosted-delete", format!("deletes a published {}", ops[0]))
                }
                ["api", endpoint, ..] if api_delete(args) => {
                    let path: Vec<&str> = endpoint
                        .trim_start_matches('/')
                        .split(['?', '#'])
                        .next()
                        .unwrap_or_default()
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .collect();
                    // The repository itself (GitHub `repos/O/R`, GitLab `projects/ID`).
                    if matches!(path.as_slice(), ["repos", _, _] | ["projects", _]) {
                        deny(
                            "hosted-delete",
                            format!("deletes the hosted repository `{endpoint}`"),
                        )
                    } else {
                        ask(
                            "hosted-delete",
                            format!("sends DELETE to `{endpoint}` on the hosting service"),
                        )
                    }
                }
                _ => None,
            }
        }
        "npm" | "pnpm" | "yarn" => {
            let ops = operands(args, &["--registry", "--otp", "--tag"]);
            (ops.first() == Some(&"unpublish"))
                .then_some(())
                .and_then(|_| {
                    deny(
                        "hosted-delete",
                        "removes a published package from the registry".into(),
                    )
                })
        }
        "cargo" => (args.first() == Some(&"yank") && !has("--undo"))
            .then_some(())
            .and_then(|_| ask("registry-yank", "yanks a published crate version".into())),
        "gem" => (args.first() == Some(&"yank"))
            .then_some(())
            .and_then(|_| ask("registry-yank", "yanks a published gem version".into())),
        // `mkdocs gh-deploy --force` pushes over the remote's gh-pages branch.
        "mkdocs" => {
            let forced = args.first() == Some(&"gh-deploy") && (has("--force") || has("-f"));
            forced.then(|| Hit {
                rule: "git-push-force",
                verdict: Verdict::Deny,
                what: "force-pushes the site over the remote's gh-pages branch".into(),
            })
        }
        // The host: stopping or restarting it, killing every process.
        // `shutdown -c` cancels a pending shutdown.
        "shutdown" if has("-c") => None,
        "reboot" | "shutdown" | "halt" | "poweroff" => {
            ask("host-disrupt", "stops or restarts the machine".into())
        }
        "systemctl"
            if matches!(
                args.first(),
                Some(&("reboot" | "poweroff" | "halt" | "kexec" | "suspend" | "hibernate"))
            ) =>
        {
            ask("host-disrupt", "stops or restarts the machine".into())
        }
        "kill"
            if args.contains(&"-1") && args.iter().any(|a| matches!(*a, "-9" | "-KILL" | "-s")) =>
        {
            ask(
                "host-disrupt",
                "kills every process the user may signal".into(),
            )
        }
        "killall5" => ask("host-disrupt", "kills every process".into()),
        "crontab" if args.contains(&"-r") && !args.contains(&"-l") => {
            ask("host-disrupt", "removes the user's scheduled jobs".into())
        }
        _ => None,
    }
}

/// Whether a `gh api` / `glab api` call uses the DELETE method.
fn api_delete(args: &[&str]) -> bool {
    args.iter().enumerate().any(|(i, a)| {
        let method = match *a {
            "-X" | "--method" => args.get(i + 1).copied(),
            _ => a
                .strip_prefix("--method=")
                .or_else(|| a.strip_prefix("-X").filter(|m| !m.is_empty())),
        };
        method.is_some_and(|m| m.eq_ignore_ascii_case("delete"))
    })
}

/// kubectl's and oc's options that take a value in the next word.
const KUBECTL_VALUED: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--kubeconfig",
    "-l",
    "--selector",
    "-f",
    "--filename",
    "-k",
    "--kustomize",
    "-o",
];

/// Kinds whose deletion takes data or everything in them with it.
const BROAD_KINDS: &[&str] = &[
    "namespace",
    "persistentvolumeclaim",
    "persistentvolume",
    "customresourcedefinition",
    "node",
    "project",
];

/// `kubectl delete -f FILE` / `-k DIR`: what the manifests name, read where kubectl reads them (a
/// file as written earlier on the line or in the project, a directory's YAML files, a
/// kustomization's resources). A manifest only the network has (a URL, a remote kustomization)
/// asks: what it deletes cannot be read before it runs.
fn manifest_delete(
    w: &Walker,
    verb: &str,
    args: &[&str],
    scope: &crate::guard::Scope,
) -> Option<Hit> {
    if !matches!(verb, "kubectl" | "oc") || dry_run(args) {
        return None;
    }
    let ops = operands(args, KUBECTL_VALUED);
    if ops.first() != Some(&"delete") {
        return None;
    }
    let valued = |names: &[&str], i: usize, a: &str| -> Option<(bool, String)> {
        for n in names {
            if a == *n {
                return args.get(i + 1).map(|v| (n.contains('k'), v.to_string()));
            }
            if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                return Some((n.contains('k'), v.to_string()));
            }
        }
        None
    };
    let sources: Vec<(bool, String)> = args
        .iter()
        .enumerate()
        .filter_map(|(i, a)| valued(&["-f", "--filename", "-k", "--kustomize"], i, a))
        .collect();
    let mut budget = 64;
    for (kustomize, source) in sources {
        let found = if kustomize {
            kustomization(w, &source, scope, 0, &mut budget)
        } else {
            manifests(w, &source, scope, &mut budget)
        };
        match found {
            Found::Broad(k) => {
                return deny(
                    "cluster-delete",
                    format!("deletes what `{source}` names, a {k} among it, and what that holds"),
                );
            }
            Found::Remote(r) => {
                return ask(
                    "cluster-delete",
                    format!(
                        "deletes what `{r}` names, which is fetched when it runs and cannot be \
                         read before"
                    ),
                );
            }
            Found::Nothing => {}
        }
    }
    None
}

/// What a set of manifests holds, as far as it matters to a delete.
enum Found {
    /// A kind whose deletion takes data or everything in it.
    Broad(String),
    /// A manifest only the network has.
    Remote(String),
    Nothing,
}

fn remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("github.com/") || source.contains("?ref=")
}

/// The first broad kind a manifest text declares.
fn broad_kind(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("kind:"))
        .map(|k| k.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
        .find(|k| BROAD_KINDS.contains(&k.as_str()))
}

/// A `-f` source: a URL, a file, or a directory of YAML and JSON files.
fn manifests(w: &Walker, source: &str, scope: &crate::guard::Scope, budget: &mut usize) -> Found {
    if remote(source) {
        return Found::Remote(source.to_string());
    }
    if let Some(text) = w.file_text(source, scope) {
        return broad_kind(&text).map_or(Found::Nothing, Found::Broad);
    }
    let crate::guard::Target::Path(dir) =
        crate::guard::target(&crate::guard::Arg::known(source), scope)
    else {
        return Found::Nothing;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Found::Nothing;
    };
    let mut names: Vec<std::path::PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
        })
        .collect();
    names.sort();
    for p in names {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        if let Some(k) = crate::project::paths::read_capped(&p, 256 * 1024)
            .as_deref()
            .and_then(broad_kind)
        {
            return Found::Broad(k);
        }
    }
    Found::Nothing
}

/// A `-k` source: the kustomization's resources (and bases), files and directories, followed a
/// few levels deep.
fn kustomization(
    w: &Walker,
    source: &str,
    scope: &crate::guard::Scope,
    depth: usize,
    budget: &mut usize,
) -> Found {
    if remote(source) {
        return Found::Remote(source.to_string());
    }
    if depth > 4 || *budget == 0 {
        return Found::Nothing;
    }
    *budget -= 1;
    let dir = source.trim_end_matches('/');
    let Some(text) = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .find_map(|n| w.file_text(&format!("{dir}/{n}"), scope))
    else {
        return Found::Nothing;
    };
    // The items of the top-level `resources:` and `bases:` lists.
    let mut listing = false;
    for line in text.lines() {
        if !line.starts_with([' ', '-']) && !line.trim().is_empty() {
            let key = line.split(':').next().unwrap_or_default().trim();
            listing = matches!(key, "resources" | "bases" | "components");
            continue;
        }
        let Some(item) = line.trim().strip_prefix("- ").filter(|_| listing) else {
            continue;
        };
        let item = item.trim().trim_matches(['"', '\'']);
        let path = format!("{dir}/{item}");
        let found = if remote(item) {
            Found::Remote(item.to_string())
        } else if item.ends_with(".yaml") || item.ends_with(".yml") || item.ends_with(".json") {
            manifests(w, &path, scope, budget)
        } else {
            kustomization(w, &path, scope, depth + 1, budget)
        };
        if !matches!(found, Found::Nothing) {
            return found;
        }
    }
    Found::Nothing
}

/// Reports a destructive form of an infrastructure, cluster, cloud, hosting or host command.
pub fn judge(w: &mut Walker, unit: &Unit, verb: &str, scope: &crate::guard::Scope) {
    let args: Vec<&str> = unit.args().iter().map(|a| a.text.as_str()).collect();
    // `terraform apply F` of a plan made with `-destroy` earlier on the line.
    let applies_destroy = matches!(verb, "terraform" | "tofu")
        && args.first() == Some(&"apply")
        && args[1..]
            .iter()
            .any(|a| scope.var(&format!("terraform destroy plan {a}")).is_some());
    let found = if applies_destroy {
        deny("iac-destroy", "applies a plan made with -destroy".into())
    } else {
        hit(verb, &args).or_else(|| manifest_delete(w, verb, &args, scope))
    };
    let Some(h) = found else { return };
    let shown = clamp(unit.display, 200);
    let pack =
        super::packs::pack_of(h.rule).map_or(String::new(), |p| format!(" (pack `{}`)", p.id));
    w.report(
        Finding::new(
            h.verdict,
            h.rule,
            format!(
                "`{shown}` {}{pack}, which no file in the project brings back. Ask the user to run \
                 it if it is really meant.",
                h.what
            ),
        )
        .with_unit(shown),
    );
}

#[cfg(test)]
mod tests {
    use super::hit;

    fn rule(cmd: &str) -> Option<&'static str> {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        hit(words[0], &words[1..]).map(|h| h.rule)
    }

    #[test]
    fn each_pack_names_its_destructive_forms() {
        for (cmd, want) in [
            ("terraform destroy -auto-approve", "iac-destroy"),
            (
                "terraform -chdir=infra apply -destroy -auto-approve",
                "iac-destroy",
            ),
            ("tofu destroy", "iac-destroy"),
            ("pulumi destroy --yes", "iac-destroy"),
            ("cdk destroy --force", "iac-destroy"),
            ("heroku apps:destroy --app x --confirm x", "cloud-delete"),
            ("flyctl apps destroy app --yes", "cloud-delete"),
            ("fly volumes destroy vol_1", "cloud-delete"),
            (
                "firebase firestore:delete users --recursive --force",
                "cloud-delete",
            ),
            ("vercel remove my-app --yes", "hosted-delete"),
            ("netlify sites:delete", "hosted-delete"),
            ("kubectl delete namespace prod", "cluster-delete"),
            ("kubectl -n x delete pvc data-0", "cluster-delete"),
            ("kubectl delete pods --all -n prod", "cluster-delete"),
            ("kubectl delete crd widgets.example.com", "cluster-delete"),
            ("oc delete project demo", "cluster-delete"),
            ("helm uninstall consul -n consul", "cluster-delete"),
            ("aws s3 rm s3://bucket --recursive", "cloud-delete"),
            ("aws s3 rb s3://bucket --force", "cloud-delete"),
            (
                "aws ec2 terminate-instances --instance-ids i-1",
                "cloud-delete",
            ),
            (
                "aws rds delete-db-instance --db-instance-identifier db",
                "cloud-delete",
            ),
            (
                "gcloud compute instances delete vm-1 --zone z",
                "cloud-delete",
            ),
            ("gsutil -m rm -r gs://b/x", "cloud-delete"),
            ("az group delete -n rg --yes", "cloud-delete"),
            ("gh repo delete owner/repo --yes", "hosted-delete"),
            ("gh release delete v1.0", "hosted-delete"),
            ("npm unpublish pkg --force", "hosted-delete"),
            ("cargo yank --version 1.0.0", "registry-yank"),
            ("gem yank pkg -v 1.0.0", "registry-yank"),
            ("mkdocs gh-deploy --force", "git-push-force"),
            ("reboot", "host-disrupt"),
            ("kill -9 -1", "host-disrupt"),
            ("crontab -r", "host-disrupt"),
            ("shutdown -h now", "host-disrupt"),
            ("terraform workspace delete -force prod", "iac-destroy"),
            ("terraform state rm aws_instance.x", "iac-destroy"),
            ("pulumi stack rm prod --yes --force", "iac-destroy"),
            ("gh api -X DELETE repos/o/r", "hosted-delete"),
            (
                "gh api --method=delete /repos/o/r/releases/1",
                "hosted-delete",
            ),
            ("gh gist delete 123", "hosted-delete"),
            ("glab api -XDELETE projects/42", "hosted-delete"),
        ] {
            assert_eq!(rule(cmd), Some(want), "{cmd}");
        }
    }

    #[test]
    fn look_alikes_and_modes_that_change_nothing_pass() {
        for cmd in [
            "terraform plan -destroy",
            "heroku apps:info",
            "flyctl apps list",
            "firebase deploy",
            "vercel deploy",
            "netlify deploy --prod",
            "terraform apply -auto-approve",
            "terraform destroy --help",
            "kubectl get namespaces",
            "kubectl delete pod web-1",
            "kubectl delete namespace prod --dry-run=client",
            "helm list",
            "aws s3 rm s3://bucket/file.txt",
            "aws s3 rm s3://bucket --recursive --dryrun",
            "aws ec2 describe-instances",
            "gcloud compute instances list",
            "az group list",
            "gh repo view",
            "npm publish",
            "cargo yank --version 1.0.0 --undo",
            "gem push pkg-1.0.0.gem",
            "mkdocs gh-deploy",
            "systemctl restart nginx",
            "kill -9 1234",
            "crontab -l",
            "shutdown --help",
            "terraform workspace list",
            "terraform state list",
            "pulumi stack ls",
            "gh api repos/o/r",
            "gh api -X POST repos/o/r/issues",
            "gh gist view 123",
        ] {
            assert_eq!(rule(cmd), None, "{cmd}");
        }
    }
}
