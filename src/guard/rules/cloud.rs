//! Cloud resources deleted through a provider's CLI (pack `cloud`): AWS, Google Cloud, Azure,
//! DigitalOcean and Hetzner. A provider's verbs are read as its CLI spells them (`delete-*`,
//! `batch-delete-*`, `schedule-key-deletion`, `purge`, `delete-batch`), so other resources and
//! verbs of the same tool are covered, not only the ones listed; read-only verbs (`describe-*`,
//! `get-*`, `list-*`) and dry runs pass.

use super::infra::{Hit, deny, operands};
use crate::hook::decision::clamp;

/// Whether an API verb (one word, hyphenated) deletes or purges what it names.
fn deleting(op: &str) -> bool {
    let op = op.to_ascii_lowercase();
    let words: Vec<&str> = op.split('-').collect();
    if matches!(
        words.first(),
        Some(&("describe" | "get" | "list" | "show" | "wait" | "cancel" | "restore" | "undelete"))
    ) {
        return false;
    }
    words.iter().any(|w| {
        matches!(
            *w,
            "delete" | "deletion" | "terminate" | "remove" | "deregister" | "purge" | "destroy"
        )
    })
}

/// What the command names as its target, for the reason: the values of the options that name a
/// resource (`--table-name t`, `--instance-ids i-1`, `--bucket=b`, `-n rg`), else `fallback`.
fn named(args: &[&str], fallback: &[&str]) -> String {
    let names_one = |o: &str| {
        let o = o.trim_start_matches('-');
        ["name", "names", "id", "ids", "arn", "url"]
            .iter()
            .any(|k| o == *k || o.ends_with(&format!("-{k}")))
            || matches!(o, "bucket" | "n" | "g" | "resource-group")
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if let Some((o, v)) = a.split_once('=').filter(|(o, _)| o.starts_with('-')) {
            if names_one(o) {
                found.push(v.to_string());
            }
        } else if a.starts_with('-')
            && names_one(a)
            && let Some(v) = args.get(i + 1)
        {
            found.push(v.to_string());
            i += 1;
        }
        i += 1;
    }
    if found.is_empty() {
        found = fallback
            .iter()
            .filter(|f| !f.starts_with('-'))
            .map(|s| s.to_string())
            .collect();
    }
    match found.is_empty() {
        true => "it names".into(),
        false => format!("`{}`", clamp(&found.join(" "), 120)),
    }
}

pub(super) fn hit(verb: &str, args: &[&str]) -> Option<Hit> {
    let has = |f: &str| args.contains(&f);
    match verb {
        "aws" => {
            let ops = operands(
                args,
                &[
                    "--profile",
                    "--region",
                    "--output",
                    "--query",
                    "--endpoint-url",
                ],
            );
            match ops.as_slice() {
                ["s3", "rm", target, ..] if has("--recursive") => deny(
                    "cloud-delete",
                    format!("deletes every object under `{target}`"),
                ),
                ["s3", "rb", target, ..] if has("--force") => deny(
                    "cloud-delete",
                    format!("deletes the bucket `{target}` and its objects"),
                ),
                ["s3", "sync", _, target, ..] if has("--delete") => deny(
                    "cloud-delete",
                    format!("deletes the objects under `{target}` that the source lacks"),
                ),
                ["s3", ..] => None,
                [service, op, rest @ ..] if deleting(op) => deny(
                    "cloud-delete",
                    format!(
                        "runs `{op}` on the {service} resources {}",
                        named(args, rest)
                    ),
                ),
                _ => None,
            }
        }
        "gcloud" => {
            let ops = operands(
                args,
                &["--project", "--zone", "--region", "--format", "--account"],
            );
            let storage_rm = ops.first() == Some(&"storage")
                && ops.get(1) == Some(&"rm")
                && (has("-r")
                    || has("--recursive")
                    || ops
                        .get(2..)
                        .unwrap_or_default()
                        .iter()
                        .any(|t| t.contains("**")));
            let deletes = ops.iter().any(|o| {
                matches!(*o, "delete" | "purge" | "destroy")
                    || o.starts_with("delete-") && !o.starts_with("delete-access-config")
            });
            (deletes || storage_rm).then_some(()).and_then(|()| {
                // What follows the verb names the resources.
                let at = ops
                    .iter()
                    .position(|o| matches!(*o, "delete" | "purge" | "destroy" | "rm"))
                    .map_or(ops.len(), |i| i + 1);
                deny(
                    "cloud-delete",
                    format!(
                        "deletes the cloud resources {} (`gcloud {}`)",
                        named(&[], &ops[at..]),
                        ops.join(" ")
                    ),
                )
            })
        }
        "gsutil" => {
            let ops = operands(args, &["-p", "-o", "-h"]);
            match ops.as_slice() {
                ["rm", target, ..]
                    if args.iter().any(|a| *a == "-r" || *a == "-R" || *a == "-a")
                        || target.contains("**") =>
                {
                    deny(
                        "cloud-delete",
                        format!("deletes the objects under `{target}`"),
                    )
                }
                ["rb", target, ..] => {
                    deny("cloud-delete", format!("deletes the bucket `{target}`"))
                }
                ["rsync", .., target] if has("-d") => deny(
                    "cloud-delete",
                    format!("deletes the objects under `{target}` that the source lacks"),
                ),
                _ => None,
            }
        }
        "az" => {
            let ops = operands(
                args,
                &[
                    "-g",
                    "--resource-group",
                    "-n",
                    "--name",
                    "--subscription",
                    "-o",
                    "--output",
                    "--query",
                    "-s",
                    "--source",
                    "--account-name",
                ],
            );
            // A complete-mode deployment deletes what the template does not name.
            let complete = args
                .windows(2)
                .any(|w| w[0] == "--mode" && w[1].eq_ignore_ascii_case("complete"))
                || args
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("--mode=complete"));
            // `what-if` and `validate` only show what a deployment would do.
            let preview = ops.iter().any(|o| matches!(*o, "what-if" | "validate"));
            if complete && ops.first() == Some(&"deployment") && !preview {
                return deny(
                    "cloud-delete",
                    "deletes every resource of the group that the template does not name".into(),
                );
            }
            ops.iter().find(|o| deleting(o)).and_then(|op| {
                deny(
                    "cloud-delete",
                    format!(
                        "deletes the Azure resources {} (`az {}`: {op})",
                        named(args, &[]),
                        ops.join(" ")
                    ),
                )
            })
        }
        // DigitalOcean and Hetzner: `doctl compute droplet delete`, `hcloud server delete`.
        "doctl" | "hcloud" => {
            let ops = operands(
                args,
                &["--context", "-t", "--access-token", "-o", "--output"],
            );
            // A rebuild reimages the server, its disk with it.
            let op = ops
                .iter()
                .find(|o| matches!(**o, "delete" | "rm" | "destroy" | "rebuild"))?;
            let at = ops
                .iter()
                .position(|o| o == op)
                .map_or(ops.len(), |i| i + 1);
            deny(
                "cloud-delete",
                format!(
                    "deletes the cloud resources {} (`{verb} {}`: {op})",
                    named(&[], &ops[at..]),
                    ops.join(" ")
                ),
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::hit;

    fn rule(cmd: &str) -> Option<&'static str> {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        hit(words[0], &words[1..]).map(|h| h.rule)
    }

    #[test]
    fn other_verbs_and_resources_of_each_cli_are_read() {
        for cmd in [
            "aws ecr batch-delete-image --repository-name r --image-ids imageTag=x",
            "aws kms schedule-key-deletion --key-id k",
            "aws sqs purge-queue --queue-url u",
            "aws dynamodb delete-table --table-name t",
            "aws --region eu-west-1 ec2 terminate-instances --instance-ids i-1",
            "aws elbv2 deregister-targets --target-group-arn a",
            "gcloud storage rm gs://b/**",
            "gcloud pubsub topics delete t",
            "gcloud artifacts docker images delete x",
            "az storage blob delete-batch -s c --account-name a",
            "az keyvault purge --name kv",
            "az storage container delete -n c",
            "az deployment group create -g rg --template-file t.json --mode Complete",
            "gsutil rsync -d -r ./dir gs://b",
            "doctl compute droplet delete web-1 --force",
            "hcloud server delete web-1",
            "hcloud server rebuild --image ubuntu-24.04 web-1",
        ] {
            assert_eq!(rule(cmd), Some("cloud-delete"), "{cmd}");
        }
    }

    #[test]
    fn reasons_name_the_resources() {
        let what = |cmd: &str| {
            let words: Vec<&str> = cmd.split_whitespace().collect();
            hit(words[0], &words[1..]).unwrap().what
        };
        for (cmd, named) in [
            ("aws dynamodb delete-table --table-name orders", "`orders`"),
            ("aws ec2 terminate-instances --instance-ids i-1", "`i-1`"),
            ("aws s3api delete-bucket --bucket=logs", "`logs`"),
            ("gcloud sql instances delete prod-db --quiet", "`prod-db`"),
            ("az group delete -n rg-prod --yes", "`rg-prod`"),
            ("hcloud server delete web-1", "`web-1`"),
        ] {
            assert!(what(cmd).contains(named), "{cmd}: {}", what(cmd));
        }
    }

    #[test]
    fn reads_and_restores_pass() {
        for cmd in [
            "aws ec2 describe-instances",
            "aws kms cancel-key-deletion --key-id k",
            "aws s3 ls s3://b",
            "aws s3 mv s3://b/a s3://b/c",
            "aws rds describe-db-instances",
            "aws s3api get-bucket-policy --bucket b",
            "gcloud compute instances list",
            "gcloud compute instances delete-access-config vm",
            "az group list",
            "az deployment group create -g rg --template-file t.json",
            "gsutil rsync -r ./dir gs://b",
            "doctl compute droplet list",
            "hcloud server create --name web",
            "az deployment group what-if -g rg --template-file m.bicep --mode Complete",
        ] {
            assert_eq!(rule(cmd), None, "{cmd}");
        }
    }
}
