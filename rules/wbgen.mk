# wbgen.mk: the rules of a build written by `wbgen resolve`, included at the end of OUTDIR/Makefile,
# which sets WBGEN, WBGEN_PACKAGES (in build order) and, per package P = NAME-VERSION, P.name,
# P.version, P.sdist, P.sys, P.backend, P.install and P.dynamic; with per-package settings also
# WBGEN_SETTINGS_FILE, WBGEN_SETTINGS_DIR, WBGEN_PATCHES_DIR, WBGEN_VARIANT (resolve's settings
# options) and P.settings (P's own settings file, when it has one). When one of the files that may
# change P's settings changes (wbgen-settings-files), work/P/pkg.json is recomputed, and rewritten
# only when its content changes. The recipes run $(WBGEN_STEP)
# (wbgen-step: `wbgen step` in a program without the resolver, quicker to start).
# docs/makefile.md explains the design.
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
# A step whose inputs have not changed since it last ran (a fingerprint of the wheels it installs,
# the source it builds) only touches its target: a dependency rebuilt to identical bytes costs a
# check per dependent phase, not a build.
#
# Discovery: every rule exists from the start, with the prerequisites the plan knows. A phase that
# finds a requirement the plan lacks resolves again (rewriting this Makefile) and exits 0 without
# writing its target: it is "deferred", and so is every phase that finds a prerequisite missing.
# The outer make (`wbgen step run`) runs the inner make again while a run changed the plan.

# -n, -q and -t run nothing: no outer make then. (Read before MAKEFLAGS changes.)
wbgen-flags := $(firstword -$(MAKEFLAGS))
WBGEN_DRY := $(if $(findstring n,$(wbgen-flags))$(findstring q,$(wbgen-flags))$(findstring t,$(wbgen-flags)),1)

.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules
.DEFAULT_GOAL := all

Q := $(if $(filter 1,$(V)),,@)
WBGEN_VERBOSE := $(V)
export WBGEN WBGEN_PKGDATADIR WBGEN_NPHASES WBGEN_VERBOSE WBGEN_INNER WBGEN_HOOK_PROCESSES

# Goals: all, mirror, and one per package name (except names taken by the goals and directories here).
wbgen-reserved := all mirror clean help Makefile work logs wheels-repo sdists-repo store
WBGEN_GOALS := $(filter-out $(wbgen-reserved),$(foreach p,$(WBGEN_PACKAGES),$($(p).name)))
wbgen-wheels = $(foreach q,$(1),work/$(q)/wheel.stamp)
wbgen-mirrored = $(foreach q,$(1),mirror/$(q).stamp)
# the deps stamps of the dynamic packages among $(1): their install requirements are known
wbgen-known = $(foreach q,$(1),$(if $($(q).dynamic),work/$(q)/deps.stamp))
wbgen-step = $(Q)$(WBGEN_STEP)
wbgen-empty :=

.PHONY: all mirror clean help $(WBGEN_GOALS)

help:
	$(info Goals (run `make -jN GOAL` in this directory):)
	$(info $(wbgen-empty)  all        every wheel, published to wheels-repo/simple/ (the default))
	$(info $(wbgen-empty)  mirror     the same)
	$(info $(wbgen-empty)  NAME       one package's wheel and the wheels of its install requirements)
	$(info $(wbgen-empty)  clean      remove what the build made (keeps the plan and the sdists))
	$(info $(wbgen-empty)  help       this text)
	$(info Options: -k keep going after a failure, V=1 show the commands, -n what would run, -q is it built?)
	$(info Packages, in build order:)
	$(foreach p,$(WBGEN_PACKAGES),$(info $(wbgen-empty)  $($(p).name) $($(p).version)))@:

clean:
	$(Q)rm -rf logs mirror wheels-repo store failures.json
	$(Q)for d in work/*/; do [ -d "$$d" ] || continue; for f in "$$d"* "$$d".[!.]*; do \
		case "$$f" in */pkg.json|*'*') ;; *) rm -rf "$$f" ;; esac; done; done

work/%/pkg.json:
	@test -f $@ || { echo "wbgen: $@ is missing: run wbgen resolve again" >&2; exit 1; }

ifeq ($(WBGEN_DRY)$(WBGEN_INNER),)
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
# Per-package settings: resolve's options for the settings recipe, and the files whose change may
# change the settings of the package whose patch directory name is $(1) (its name, - as _): the
# global file, the settings directory (a file added), the patches and their variant folders.
WBGEN_SETTINGS := $(if $(WBGEN_SETTINGS_FILE),--settings-file $(WBGEN_SETTINGS_FILE) --settings-dir \
	$(WBGEN_SETTINGS_DIR) --patches-dir $(WBGEN_PATCHES_DIR) --variant $(WBGEN_VARIANT))
wbgen-settings-files = $(WBGEN_SETTINGS_FILE) $(WBGEN_SETTINGS_DIR) $(WBGEN_PATCHES_DIR) \
	$(foreach d,$(WBGEN_PATCHES_DIR)/$(1) $(WBGEN_PATCHES_DIR)/$(1)-*,\
		$(d)/*.patch $(d)/$(WBGEN_VARIANT) $(d)/$(WBGEN_VARIANT)/*.patch $(d))

# ---- pre-built packages (settings pre_built; P.prebuilt is the wheel `wbgen resolve` downloaded):
# nothing is unpacked or built, `wbgen-step prebuilt` puts the checked wheel in wheels-repo/downloads/.
# Their install requirements come from the wheel's metadata, so they are known from the start.
define wbgen-prebuilt-rules
work/$(1)/wheel.stamp: $($(1).prebuilt) work/$(1)/pkg.json
	$$(wbgen-step) prebuilt $(1)
mirror/$(1).stamp: work/$(1)/wheel.stamp
	$$(wbgen-step) publish $(1)
endef
# ---- end of pre-built packages (wbgen-prebuilt-rules is used in the foreach below wbgen-rules)

# Build-system environments wait for the install requirements of the dynamic packages they hold.
define wbgen-rules
ifneq ($(WBGEN_SETTINGS),)
work/$(1)/pkg.json: $(wildcard $($(1).settings) $(call wbgen-settings-files,$(subst -,_,$($(1).name))))
	$$(wbgen-step) settings $(1) $(WBGEN_SETTINGS)
endif
work/$(1)/src.stamp: $($(1).sdist) work/$(1)/pkg.json
	$$(wbgen-step) unpack $(1)
work/$(1)/build-system.stamp: work/$(1)/pkg.json $(call wbgen-wheels,$($(1).sys)) $(call wbgen-known,$($(1).sys)) | $(call wbgen-mirrored,$($(1).sys))
	$$(wbgen-step) build-system $(1) $($(1).sys)
work/$(1)/discover.stamp: work/$(1)/src.stamp work/$(1)/build-system.stamp
	$$(wbgen-step) discover $(1) $($(1).sys)
work/$(1)/backend.stamp: work/$(1)/discover.stamp work/$(1)/build-system.stamp $(call wbgen-wheels,$($(1).backend)) $(call wbgen-known,$($(1).backend)) | $(call wbgen-mirrored,$($(1).backend))
	$$(wbgen-step) backend $(1) $($(1).sys) $($(1).backend)
work/$(1)/wheel.stamp: work/$(1)/src.stamp work/$(1)/backend.stamp
	$$(wbgen-step) build $(1) $($(1).sys) $($(1).backend)
ifneq ($($(1).dynamic),)
work/$(1)/deps.stamp: work/$(1)/wheel.stamp
	$$(wbgen-step) deps $(1)
endif
mirror/$(1).stamp: work/$(1)/wheel.stamp
	$$(wbgen-step) publish $(1)
endef
$(foreach p,$(WBGEN_PACKAGES),$(eval $(call $(if $($(p).prebuilt),wbgen-prebuilt-rules,wbgen-rules),$(p))))

all: mirror
ifeq ($(WBGEN_DRY),)
all mirror: ; @:
endif
mirror: $(foreach p,$(WBGEN_PACKAGES),mirror/$(p).stamp) $(call wbgen-known,$(WBGEN_PACKAGES))
$(foreach p,$(WBGEN_PACKAGES),$(if $(filter $($(p).name),$(wbgen-reserved)),,\
	$(eval $($(p).name): mirror/$(p).stamp $(call wbgen-mirrored,$($(p).install)) $(call wbgen-known,$(p) $($(p).install)))))
endif
