//! Windows' deleters, as an agent runs them through `cmd /c` or PowerShell (Codex and Claude Code
//! on Windows): `rmdir /s`, `rd /s`, `del /s`, and `Remove-Item -Recurse` with its aliases. Their
//! targets are judged like `rm -r`'s. And PowerShell running code it downloads.

use crate::guard::Arg;

/// Whether the code given to `pwsh -c`/`powershell -c` runs what it downloads: a web request
/// (`irm`, `iwr`, `Invoke-RestMethod`, `Invoke-WebRequest`, `DownloadString`) whose text reaches
/// `iex`/`Invoke-Expression` (`irm URL | iex`, `iex (irm URL)`, `iex ((New-Object
/// Net.WebClient).DownloadString(URL))`).
pub fn runs_download(verb: &str, args: &[Arg]) -> bool {
    if !(verb.starts_with("pwsh") || verb.starts_with("powershell")) {
        return false;
    }
    let code = args
        .iter()
        .map(|a| a.text.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let fetches = [
        "irm ",
        "iwr ",
        "invoke-restmethod",
        "invoke-webrequest",
        "downloadstring(",
    ]
    .iter()
    .any(|f| code.contains(f));
    let runs = code
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .any(|w| w == "iex" || w == "invoke-expression");
    fetches && runs
}

/// The trees the command given to `cmd /c` or `pwsh -c` deletes recursively.
pub fn deletes(verb: &str, args: &[Arg]) -> Vec<Arg> {
    let powershell = verb.starts_with("pwsh") || verb.starts_with("powershell");
    let code: Vec<&str> = if powershell {
        let at = args.iter().position(|a| {
            let t = a.text.to_ascii_lowercase();
            t == "-c" || t == "-command" || t == "/c"
        });
        match at {
            Some(i) => args[i + 1..].iter().map(|a| a.text.as_str()).collect(),
            None => return Vec::new(),
        }
    } else {
        match args
            .iter()
            .position(|a| a.text.eq_ignore_ascii_case("/c") || a.text.eq_ignore_ascii_case("/k"))
        {
            Some(i) => args[i + 1..].iter().map(|a| a.text.as_str()).collect(),
            None => return Vec::new(),
        }
    };
    let joined = code.join(" ");
    let mut out = Vec::new();
    for statement in joined.split([';', '&', '|', '\n']) {
        let words: Vec<&str> = statement.split_whitespace().collect();
        let Some(first) = words.first() else { continue };
        let name = first.to_ascii_lowercase();
        let flags = || words[1..].iter().map(|w| w.to_ascii_lowercase());
        let recursive = if powershell {
            matches!(
                name.as_str(),
                "remove-item" | "rm" | "ri" | "del" | "erase" | "rd" | "rmdir"
            ) && flags().any(|f| "-recurse".starts_with(&f) && f.len() >= 2 && f.starts_with('-'))
        } else {
            matches!(name.as_str(), "rmdir" | "rd" | "del" | "erase") && flags().any(|f| f == "/s")
        };
        if !recursive {
            continue;
        }
        let target = words[1..]
            .iter()
            .find(|w| !w.starts_with('-') && !w.starts_with('/'))
            .map(|w| w.trim_matches(['"', '\'']));
        out.push(Arg {
            text: target.unwrap_or(".").replace('\\', "/").into(),
            exact: true,
            glob: false,
            feed: None,
        });
    }
    out
}
