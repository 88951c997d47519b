use super::*;

fn recipe(makefile: &str, goal: &str) -> Option<Vec<String>> {
    let written = vec![(PathBuf::from("/p/Makefile"), makefile.to_string())];
    let mut files = Files {
        written: &written,
        read: 0,
    };
    let scope = Scope::at(std::path::Path::new("/p"));
    let args: Vec<Arg> = goal.split_whitespace().map(Arg::known).collect();
    match read(&args, &scope, &mut files)? {
        Recipe::Code { lines, .. } => Some(lines),
        _ => None,
    }
}

#[test]
fn variables_functions_and_automatic_variables_are_filled_in() {
    let mk = "CC = gcc\nTARGET = app\nSRCS := $(wildcard src/*.c)\nOBJS := $(SRCS:.c=.o)\n\
              $(TARGET): $(OBJS)\n\t$(CC) -o $@ $^\nclean:\n\t@$(RM) $(OBJS) $(TARGET)\n\
              x: ; rm -rf $(shell pwd)\n%.wipe:\n\trm -rf $*\n";
    assert_eq!(recipe(mk, "").unwrap(), ["gcc -o app src/*.o"]);
    assert_eq!(recipe(mk, "clean").unwrap(), ["rm -f src/*.o app"]);
    assert_eq!(recipe(mk, "x").unwrap(), ["rm -rf ${make_value}"]);
    assert_eq!(recipe(mk, "src.wipe").unwrap(), ["rm -rf src"]);
    assert_eq!(
        recipe(mk, "clean TARGET=other").unwrap(),
        ["rm -f src/*.o other"]
    );
}

#[test]
fn defines_target_values_conditionals_and_prefixes() {
    let mk = "define WIPE\nrm -rf src\nendef\nDIR := /tmp/cache\nclean: DIR := src\n\
              clean:\n\trm -rf $(DIR)\nc2:\n\t$(WIPE)\nifneq ($(OS),x)\nT := src\nelse\n\
              T := /tmp/j\nendif\ncond:\n\trm -rf $(T)\n.RECIPEPREFIX = >\nrp:\n> rm -rf src\n";
    assert_eq!(recipe(mk, "clean").unwrap(), ["rm -rf src"]);
    assert_eq!(recipe(mk, "c2").unwrap(), ["rm -rf src"]);
    assert_eq!(recipe(mk, "cond").unwrap(), ["rm -rf ${make_value}"]);
    assert_eq!(recipe(mk, "rp").unwrap(), ["rm -rf src"]);
}

#[test]
fn a_dry_run_runs_only_the_forced_lines() {
    let mk = "all:\n\trm -rf src\n\t+rm -rf docs\n";
    assert_eq!(recipe(mk, "-n all").unwrap(), ["rm -rf docs"]);
    assert!(recipe("all:\n\techo\n", "-n").is_none());
}

#[test]
fn an_exponential_chain_of_variables_stops_at_its_bound() {
    let mut mk = String::from("V0 = rm\n");
    for i in 1..=9 {
        mk.push_str(&format!("V{i} = {}\n", format!("$(V{})", i - 1).repeat(10)));
    }
    mk.push_str("x:\n\techo $(V9)\n");
    let t = std::time::Instant::now();
    assert!(recipe(&mk, "x").is_none());
    // Bounded work (a generous limit: this is about exponential, not about speed).
    assert!(t.elapsed() < std::time::Duration::from_secs(2));
    let appends = "X += a\n".repeat(36_000) + "y:\n\techo $(X)\n";
    assert!(recipe(&appends, "y").is_some_and(|l| l[0].len() < MAX_OUT));
}
