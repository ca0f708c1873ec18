# wbgen.mk: the recipes and goals of a build written by `wbgen resolve`, included at the end of
# OUTDIR/Makefile, which sets WBGEN, WBGEN_PACKAGES (in build order), WBGEN_DRY and WBGEN_BUILD
# (which make reads the rules) and has a block per package P = NAME-VERSION: the variables P.name,
# P.version, P.sdist, P.sys, P.backend, P.install and P.dynamic, then P's targets with their
# prerequisites (every edge of the build is in the Makefile's text). With per-package settings it
# also sets WBGEN_SETTINGS_FILE, WBGEN_SETTINGS_DIR, WBGEN_PATCHES_DIR, WBGEN_VARIANT (resolve's
# settings options) and P.settings (P's own settings file, when it has one), and work/P/pkg.json
# depends on the files that may change P's settings (wbgen-settings-files): it is recomputed, and
# rewritten only when its content changes. The recipes run $(WBGEN_STEP) (wbgen-step: `wbgen step`
# in a program without the resolver, quicker to start). docs/makefile.md explains the design.
#
# The phases of a package P, each a file target whose recipe is one `wbgen-step PHASE P ...`:
#   work/P/src.stamp           unpack    the sdist unpacked (and patched) into work/P/src/
#   work/P/build-system.stamp  build-system  a fresh venv work/P/env/ with the wheels of P.sys
#   work/P/discover.stamp      discover  get_requires_for_build_wheel run in it: what the plan knows
#                                        (P.backend), or the plan is resolved again and P deferred
#   work/P/backend.stamp       backend   the wheels of P.backend added to the environment
#   work/P/wheel.stamp         build     build_wheel: the wheel in wheels-repo/downloads/
#   work/P/deps.stamp          deps      (dynamic packages) the built wheel's install requirements:
#                                        what the plan knows, or resolved again and P deferred
#   mirror/P.stamp             publish   the wheel in the PEP 503 mirror wheels-repo/simple/
# With a build cache (wbgen resolve --build-cache, docs/makefile.md "The build cache"):
#   work/P/cache.key           cache-key P's key: a hash of every input of its wheel, the keys of
#                                        its build environment's wheels included (not counted)
#   work/P/wheel.stamp         cached    (a hit: P.cached, from cache.mk) the wheel of P's key copied
#                                        from the cache, checked; P's build chain is not in the rules
# A step whose inputs have not changed since it last ran (a fingerprint of the wheels it installs,
# the source it builds) only touches its target: a dependency rebuilt to identical bytes costs a
# check per dependent phase, not a build.
#
# Discovery: every rule exists from the start, with the prerequisites the plan knows. A phase that
# finds a requirement the plan lacks resolves again (rewriting this Makefile) and exits 0 without
# writing its target: it is "deferred", and so is every phase that finds a prerequisite missing.
# The outer make (`wbgen step run`) runs the inner make again while a run changed the plan.

# A Makefile written before the rules were written out per package defines no WBGEN_BUILD.
ifeq ($(origin WBGEN_BUILD),undefined)
$(error this Makefile was written by an older wbgen: run wbgen resolve again (resolve-args.json has its arguments))
endif

.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules
.DEFAULT_GOAL := all

Q := $(if $(filter 1,$(V)),,@)
WBGEN_VERBOSE := $(V)
export WBGEN WBGEN_PKGDATADIR WBGEN_NPHASES WBGEN_VERBOSE WBGEN_INNER WBGEN_HOOK_PROCESSES
# the launcher of the heavy phases (wbgen resolve --launcher, docs/cluster.md): none when empty
export WBGEN_LAUNCHER WBGEN_SRUN_FLAGS
# the build cache (wbgen resolve --build-cache, docs/makefile.md): only a Makefile written with
# one has its rules (WBGEN_CACHE_RULES); make WBGEN_BUILD_CACHE= turns it off
ifdef WBGEN_CACHE_RULES
export WBGEN_BUILD_CACHE
else
unexport WBGEN_BUILD_CACHE
endif

# Goals: all, mirror, and one per package name (except names taken by the goals and directories here).
wbgen-reserved := all mirror clean help report Makefile work logs wheels-repo sdists-repo store
WBGEN_GOALS := $(filter-out $(wbgen-reserved),$(foreach p,$(WBGEN_PACKAGES),$($(p).name)))
wbgen-wheels = $(foreach q,$(1),work/$(q)/wheel.stamp)
wbgen-mirrored = $(foreach q,$(1),mirror/$(q).stamp)
# the deps stamps of the dynamic packages among $(1): their install requirements are known
wbgen-known = $(foreach q,$(1),$(if $($(q).dynamic),work/$(q)/deps.stamp))
wbgen-step = $(Q)$(WBGEN_STEP)
wbgen-empty :=

.PHONY: all mirror clean help report $(WBGEN_GOALS)

help:
	$(info Goals (run `make -jN GOAL` in this directory):)
	$(info $(wbgen-empty)  all        every wheel, published to wheels-repo/simple/ (the default))
	$(info $(wbgen-empty)  mirror     the same)
	$(info $(wbgen-empty)  NAME       one package's wheel and the wheels of its install requirements)
	$(info $(wbgen-empty)  report     report.html: the last build's timeline from logs/trace.jsonl (wbgen report))
	$(info $(wbgen-empty)  clean      remove what the build made (keeps the plan and the sdists))
	$(info $(wbgen-empty)  help       this text)
	$(info Options: -k keep going after a failure, V=1 show the commands, -n what would run, -q is it built?)
	$(info Packages, in build order:)
	$(foreach p,$(WBGEN_PACKAGES),$(info $(wbgen-empty)  $($(p).name) $($(p).version)))@:

# The last build's timeline, critical path and slowest packages, from the trace its phases wrote.
report:
	$(Q)$(WBGEN) report

clean:
	$(Q)rm -rf logs mirror wheels-repo store failures.json report.html cache.mk cache-report.json cache-fetch
	$(Q)for d in work/*/; do [ -d "$$d" ] || continue; for f in "$$d"* "$$d".[!.]*; do \
		case "$$f" in */pkg.json|*/cache.inputs|*'*') ;; *) rm -rf "$$f" ;; esac; done; done

work/%/pkg.json:
	@test -f $@ || { echo "wbgen: $@ is missing: run wbgen resolve again" >&2; exit 1; }
work/%/cache.inputs:
	@test -f $@ || { echo "wbgen: $@ is missing: run wbgen resolve again" >&2; exit 1; }

ifeq ($(WBGEN_BUILD),)
# The make you typed: `wbgen step run` waits for another make or a wbgen resolve in this directory
# (its locks), runs the inner make, again while a run changed the plan (discovery resolved again),
# then prints the summary. WBGEN_INNER names the run (the shell's pid): a phase that failed in this
# run is not tried again by a later inner make. .NOTPARALLEL here only keeps this outer make from
# starting two inner ones; the inner make gets all of -j.
wbgen-wrapped := $(filter all mirror $(WBGEN_GOALS),$(or $(MAKECMDGOALS),all))
.NOTPARALLEL:
all mirror $(WBGEN_GOALS):
	+@$(if $(filter $@,$(firstword $(wbgen-wrapped))),\
		$(WBGEN_STEP) run $(MAKE) --no-print-directory WBGEN_INNER=$$$$ $(wbgen-wrapped),:)

else
# Per-package settings: resolve's options for the settings recipe.
WBGEN_SETTINGS := $(if $(WBGEN_SETTINGS_FILE),--settings-file $(WBGEN_SETTINGS_FILE) --settings-dir \
	$(WBGEN_SETTINGS_DIR) --patches-dir $(WBGEN_PATCHES_DIR) --variant $(WBGEN_VARIANT))

# The recipes of the phases. Each package's block in the Makefile names its targets and their
# prerequisites; here one static pattern rule per phase gives those targets their recipe, with
# the package P = NAME-VERSION as $* (no implicit rule search: one lookup per target). Pre-built
# packages (settings pre_built: P.prebuilt is the wheel `wbgen resolve` downloaded) have only a
# wheel.stamp, from `wbgen-step prebuilt`, and mirror/P.stamp; the deps phase is for the
# packages with dynamic install requirements (P.dynamic). (An empty target list defines no rule.)
wbgen-prebuilt := $(foreach p,$(WBGEN_PACKAGES),$(if $($(p).prebuilt),$(p)))
wbgen-built := $(filter-out $(wbgen-prebuilt),$(WBGEN_PACKAGES))
wbgen-dynamic := $(foreach p,$(wbgen-built),$(if $($(p).dynamic),$(p)))
# With a build cache, the hits (P.cached, from cache.mk) take their wheel from it: `wbgen-step
# cached` instead of their build chain, which their block leaves out.
wbgen-cached := $(foreach p,$(wbgen-built),$(if $($(p).cached),$(p)))
wbgen-building := $(filter-out $(wbgen-cached),$(wbgen-built))
ifneq ($(WBGEN_SETTINGS),)
$(wbgen-built:%=work/%/pkg.json): work/%/pkg.json:
	$(wbgen-step) settings $* $(WBGEN_SETTINGS)
endif
$(wbgen-building:%=work/%/src.stamp): work/%/src.stamp:
	$(wbgen-step) unpack $*
$(wbgen-building:%=work/%/build-system.stamp): work/%/build-system.stamp:
	$(wbgen-step) build-system $* $($*.sys)
$(wbgen-building:%=work/%/discover.stamp): work/%/discover.stamp:
	$(wbgen-step) discover $* $($*.sys)
$(wbgen-building:%=work/%/backend.stamp): work/%/backend.stamp:
	$(wbgen-step) backend $* $($*.sys) $($*.backend)
$(wbgen-building:%=work/%/wheel.stamp): work/%/wheel.stamp:
	$(wbgen-step) build $* $($*.sys) $($*.backend)
$(wbgen-cached:%=work/%/wheel.stamp): work/%/wheel.stamp:
	$(wbgen-step) cached $*
$(wbgen-prebuilt:%=work/%/wheel.stamp): work/%/wheel.stamp:
	$(wbgen-step) prebuilt $*
$(wbgen-dynamic:%=work/%/deps.stamp): work/%/deps.stamp:
	$(wbgen-step) deps $*
$(WBGEN_PACKAGES:%=mirror/%.stamp): mirror/%.stamp:
	$(wbgen-step) publish $*
ifdef WBGEN_CACHE_RULES
# The keys (cache.key): computed before the build by `wbgen step run`, which makes the goal
# wbgen-cache-keys with WBGEN_CACHE_GOALS, the goals typed: the keys of their packages, and
# through the keys' prerequisites those of everything their builds need.
$(WBGEN_PACKAGES:%=work/%/cache.key): work/%/cache.key:
	$(wbgen-step) cache-key $* $($*.sys) $($*.backend)
wbgen-cache-for = $(if $(filter all mirror,$(1)),$(WBGEN_PACKAGES),\
	$(foreach p,$(WBGEN_PACKAGES),$(if $(filter $($(p).name),$(1)),$(p) $($(p).install))))
.PHONY: wbgen-cache-keys
wbgen-cache-keys: $(foreach p,$(call wbgen-cache-for,$(or $(WBGEN_CACHE_GOALS),all)),work/$(p)/cache.key)
	@:
endif

all: mirror
ifeq ($(WBGEN_DRY),)
all mirror: ; @:
endif
mirror: $(foreach p,$(WBGEN_PACKAGES),mirror/$(p).stamp) $(call wbgen-known,$(WBGEN_PACKAGES))
$(foreach p,$(WBGEN_PACKAGES),$(if $(filter $($(p).name),$(wbgen-reserved)),,\
	$(eval $($(p).name): mirror/$(p).stamp $(call wbgen-mirrored,$($(p).install)) $(call wbgen-known,$(p) $($(p).install)))))
endif
