# wbgen.mk: the rules of a build written by `wbgen resolve`, included at the end of OUTDIR/Makefile,
# which sets WBGEN, WBGEN_PACKAGES (in build order) and, per package P = NAME-VERSION, P.name,
# P.version, P.sdist, P.sys, P.backend, P.install and P.dynamic; with per-package settings also
# WBGEN_SETTINGS (resolve's settings options) and P.settings (the files, as wildcard patterns,
# whose change may change P's settings: work/P/pkg.json is then recomputed, and rewritten only
# when its content changes). The recipes run $(WBGEN_STEP)
# (wbgen-step: `wbgen step` in a program without the resolver, quicker to start).
# docs/makefile.md explains the design.
#
# The phases of a package P, each a file target whose recipe is one `wbgen-step PHASE P ...`:
#   work/P/src.stamp           unpack    the sdist unpacked (and patched) into work/P/src/
#   work/P/build-system.stamp  build-system  a fresh venv work/P/env/ with the wheels of P.sys
#   work/P/backend.mk          discover  get_requires_for_build_wheel run in it; new requirements are
#                                        resolved (the plan and this Makefile are rewritten)
#   work/P/backend.stamp       backend   the wheels of P.backend added to the environment
#   work/P/wheel.stamp         build     build_wheel: the wheel in wheels-repo/downloads/
#   work/P/deps.mk             deps      (dynamic packages) the built wheel's install requirements resolved
#   mirror/P.stamp             publish   the wheel in the PEP 503 mirror wheels-repo/simple/
# A step whose inputs have not changed since it last ran (a fingerprint of the wheels it installs,
# the source it builds) only touches its target: a dependency rebuilt to identical bytes costs a
# check per dependent phase, not a build.
#
# Discovery: backend.mk and deps.mk are included makefiles. A package is READY once its own
# backend.mk and everything its build environment holds are known; its wheel rule exists only
# then. GNU make remakes the fragments it has rules for, in parallel, then restarts and reads
# them: each restart adds a layer of build backends. With -n, -q or -t nothing is remade:
# every package counts as known, so the rules show the build as far as the plan knows it.

# -n, -q and -t run nothing (and remake no makefile): the "dry" mode. (Read before MAKEFLAGS changes.)
wbgen-flags := $(firstword -$(MAKEFLAGS))
WBGEN_DRY := $(if $(findstring n,$(wbgen-flags))$(findstring q,$(wbgen-flags))$(findstring t,$(wbgen-flags)),1)

.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules
.DEFAULT_GOAL := all

Q := $(if $(filter 1,$(V)),,@)
WBGEN_VERBOSE := $(V)
export WBGEN WBGEN_PKGDATADIR WBGEN_NPHASES WBGEN_VERBOSE WBGEN_INNER

# Goals: all, mirror, and one per package name (except names taken by the goals and directories here).
wbgen-reserved := all mirror clean help Makefile work logs wheels-repo sdists-repo
WBGEN_GOALS := $(filter-out $(wbgen-reserved),$(foreach p,$(WBGEN_PACKAGES),$($(p).name)))
wbgen-wheels = $(foreach q,$(1),work/$(q)/wheel.stamp)
wbgen-mirrored = $(foreach q,$(1),mirror/$(q).stamp)
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
	$(Q)rm -rf logs mirror wheels-repo failures.json
	$(Q)for d in work/*/; do [ -d "$$d" ] || continue; for f in "$$d"* "$$d".[!.]*; do \
		case "$$f" in */pkg.json|*'*') ;; *) rm -rf "$$f" ;; esac; done; done

work/%/pkg.json:
	@test -f $@ || { echo "wbgen: $@ is missing: run wbgen resolve again" >&2; exit 1; }

ifeq ($(WBGEN_DRY)$(WBGEN_INNER),)
# The make you typed: one inner make runs the build, then the summary is printed; a second make
# in this directory, or a wbgen resolve, waits for the first (locks in `wbgen step run`). WBGEN_INNER
# names the run (the shell's pid): a phase that failed in this run is not tried again by a restart. .NOTPARALLEL
# here only keeps this outer make from starting two inner ones; the inner make gets all of -j.
wbgen-wrapped := $(filter all mirror $(WBGEN_GOALS),$(or $(MAKECMDGOALS),all))
.NOTPARALLEL:
all mirror $(WBGEN_GOALS):
	+@$(if $(filter $@,$(firstword $(wbgen-wrapped))),\
		$(WBGEN_STEP) run $(MAKE) --no-print-directory WBGEN_INNER=$$$$ $(wbgen-wrapped),:)

else
ifeq ($(WBGEN_DRY),1)
$(foreach p,$(WBGEN_PACKAGES),$(eval $(p).KNOWN := 1)$(eval $(p).DEPS := 1))
else
# The packages whose discovery this build needs: all of them for all/mirror; for NAME goals, the
# packages NAME needs to install and to build, and what those need, transitively.
wbgen-all-goals := $(filter all mirror,$(or $(MAKECMDGOALS),all))
wbgen-needs = $(if $(1),$(call wbgen-needs,$(filter-out $(2) $(1),$(sort $(foreach p,$(1),\
	$($(p).install) $($(p).sys) $($(p).backend)))),$(sort $(2) $(1))),$(2))
ifneq ($(wbgen-all-goals),)
wbgen-discover := $(WBGEN_PACKAGES)
else
wbgen-discover := $(call wbgen-needs,$(foreach p,$(WBGEN_PACKAGES),$(if $(filter $($(p).name),$(MAKECMDGOALS)),$(p))),)
endif
# each sets P.KNOWN := 1 (backend.mk) or P.DEPS := 1 (deps.mk)
-include $(foreach p,$(wbgen-discover),work/$(p)/backend.mk $(if $($(p).dynamic),work/$(p)/deps.mk))
# For the whole build, every ready package's wheel is a prerequisite of an included makefile
# (done.mk): make then builds it in the pass in which it became ready, alongside the discovery
# of the next layer, instead of leaving it to the last pass.
ifneq ($(wbgen-all-goals),)
-include $(foreach p,$(WBGEN_PACKAGES),work/$(p)/done.mk)
endif
$(foreach p,$(WBGEN_PACKAGES),$(if $($(p).dynamic),,$(eval $(p).DEPS := 1)))
endif

# P.SYS: every package of its build environment is built and its install requirements known.
# P.READY: that, its own backend requirements known, and the same for those. P.OK: P.READY and
# P's own install requirements known. Simple variables set in build order, so each is computed once.
wbgen-all-ok = $(if $(strip $(foreach q,$(1),$(if $($(q).OK),,$(q)))),,1)
define wbgen-vars
$(1).SYS := $(call wbgen-all-ok,$($(1).sys))
$(1).READY := $(and $($(1).KNOWN),$(call wbgen-all-ok,$($(1).sys)),$(call wbgen-all-ok,$($(1).backend)))
$(1).OK := $(and $($(1).KNOWN),$(call wbgen-all-ok,$($(1).sys)),$(call wbgen-all-ok,$($(1).backend)),$($(1).DEPS))
endef
$(foreach p,$(WBGEN_PACKAGES),$(eval $(call wbgen-vars,$(p))))

define wbgen-rules
ifneq ($(WBGEN_SETTINGS),)
work/$(1)/pkg.json: $(wildcard $($(1).settings))
	$$(wbgen-step) settings $(1) $(WBGEN_SETTINGS)
endif
work/$(1)/src.stamp: $($(1).sdist) work/$(1)/pkg.json
	$$(wbgen-step) unpack $(1)
work/$(1)/build-system.stamp: work/$(1)/pkg.json $(call wbgen-wheels,$($(1).sys)) | $(call wbgen-mirrored,$($(1).sys))
	$$(wbgen-step) build-system $(1) $($(1).sys)
ifneq ($($(1).SYS),)
work/$(1)/backend.mk: work/$(1)/src.stamp work/$(1)/build-system.stamp
	$$(wbgen-step) discover $(1) $($(1).sys)
endif
ifneq ($($(1).READY),)
work/$(1)/backend.stamp: work/$(1)/backend.mk work/$(1)/build-system.stamp $(call wbgen-wheels,$($(1).backend)) | $(call wbgen-mirrored,$($(1).backend))
	$$(wbgen-step) backend $(1) $($(1).sys) $($(1).backend)
work/$(1)/wheel.stamp: work/$(1)/src.stamp work/$(1)/backend.stamp
	$$(wbgen-step) build $(1) $($(1).sys) $($(1).backend)
ifneq ($($(1).dynamic),)
work/$(1)/deps.mk: work/$(1)/wheel.stamp
	$$(wbgen-step) deps $(1)
endif
ifeq ($(WBGEN_DRY),)
work/$(1)/done.mk: mirror/$(1).stamp
	@printf '$(1).DONE := 1\n' >$$@.tmp && mv -f $$@.tmp $$@
endif
else
work/$(1)/wheel.stamp:
	$$(wbgen-step) blocked $(1)
endif
mirror/$(1).stamp: work/$(1)/wheel.stamp
	$$(wbgen-step) publish $(1)
endef
$(foreach p,$(WBGEN_PACKAGES),$(eval $(call wbgen-rules,$(p))))

all: mirror
ifeq ($(WBGEN_DRY),)
all mirror: ; @:
endif
# (deps.mk files are remade as included makefiles; -n and -q show and check them here)
mirror: $(foreach p,$(WBGEN_PACKAGES),mirror/$(p).stamp $(if $(WBGEN_DRY),$(if $($(p).dynamic),work/$(p)/deps.mk)))
$(foreach p,$(WBGEN_PACKAGES),$(if $(filter $($(p).name),$(wbgen-reserved)),,\
	$(eval $($(p).name): mirror/$(p).stamp $(call wbgen-mirrored,$($(p).install)))))
endif
