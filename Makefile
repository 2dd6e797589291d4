# mefc build. `make` builds the core library and the mefc program;
# `make check` runs every test (unit, vectors, fuzz replay, proofs, fuzz smoke).
# New files are picked up by convention: src/core/*.c, src/shell/*.c,
# src/cli/*.c, tests/unit/test_*.c, fuzz/fuzz_*.c.

CC      ?= cc
BUILD   := build
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD    := -std=c11
OPT     ?= -O2 -g
INC     := -Iinclude

# The core is freestanding: no libc headers, no libc calls.
CORE_CFLAGS := $(CSTD) $(OPT) $(WARN) $(INC) -ffreestanding -fno-strict-aliasing
HOST_CFLAGS := $(CSTD) $(OPT) $(WARN) $(INC) -D_POSIX_C_SOURCE=200809L

CORE_SRC := $(sort $(wildcard src/core/*.c))
CORE_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(CORE_SRC))
CORE_LIB := $(BUILD)/libmefc-core.a

SHELL_SRC := $(sort $(wildcard src/shell/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
APP_OBJ   := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SHELL_SRC) $(CLI_SRC))
SHELL_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SHELL_SRC))
MEFC      := $(BUILD)/mefc
PKGS      := jansson libcoap-3-openssl libcurl openssl
APP_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
APP_LIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

MEF_SRC   := $(sort $(wildcard src/mef/*.c))
MEF_OBJ   := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(MEF_SRC))
MEFD      := $(BUILD)/mefd
MEF_PKGS  := jansson libcoap-3-openssl libevent libevent_openssl openssl
MEF_LIBS  := $(shell pkg-config --libs $(MEF_PKGS) 2>/dev/null)

HOST_TEST_SRC := $(sort $(wildcard tests/host/test_*.c))
HOST_TEST_BIN := $(patsubst tests/host/%.c,$(BUILD)/tests/host_%,$(HOST_TEST_SRC))
INTEGRATION := $(sort $(wildcard tests/integration/*.sh))

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TEST_SUPPORT := $(sort $(wildcard tests/unit/support/*.c))

FUZZ_SRC  := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_NAMES := $(patsubst fuzz/fuzz_%.c,%,$(FUZZ_SRC))
REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz/replay_%,$(FUZZ_NAMES))

VECTORS   := $(sort $(wildcard spec/vectors/*.json))

.PHONY: all deps check check-only unit sanitize memcheck lint integration vectors fuzz-replay fuzz-smoke prove eva freestanding trace clean demo bench bench-smoke model
.PHONY: hostile faults soak prove-start prove-wait eva-check

all: $(CORE_LIB) $(MEFC) $(if $(MEF_SRC),$(MEFD))

$(BUILD)/obj/core/%.o: src/core/%.c $(wildcard include/mefc/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/obj/shell/%.o: src/shell/%.c $(wildcard include/mefc/*.h src/shell/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(APP_CFLAGS) -Isrc -c $< -o $@
$(BUILD)/obj/cli/%.o: src/cli/%.c $(wildcard include/mefc/*.h src/shell/*.h src/cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(APP_CFLAGS) -Isrc -c $< -o $@
$(BUILD)/obj/mef/%.o: src/mef/%.c $(wildcard include/mefc/*.h src/shell/*.h src/mef/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(shell pkg-config --cflags $(MEF_PKGS) 2>/dev/null) -Isrc -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(MEFC): $(APP_OBJ) $(CORE_LIB)
	$(CC) $(HOST_CFLAGS) -o $@ $(APP_OBJ) $(CORE_LIB) $(APP_LIBS)

$(MEFD): $(MEF_OBJ) $(CORE_LIB)
	$(CC) $(HOST_CFLAGS) -o $@ $(MEF_OBJ) $(CORE_LIB) $(MEF_LIBS)

$(BUILD)/tests/host_%: tests/host/%.c $(SHELL_OBJ) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(APP_CFLAGS) -Isrc -Itests/unit -o $@ $< $(SHELL_OBJ) $(CORE_LIB) $(APP_LIBS) -lcmocka

$(BUILD)/tests/%: tests/unit/%.c $(TEST_SUPPORT) $(CORE_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itests/unit -o $@ $< $(TEST_SUPPORT) $(CORE_LIB) -lcmocka

$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay_main.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -Ifuzz \
	  -o $@ $< fuzz/replay_main.c $(CORE_SRC)

# The LwM2M harnesses include the shell's decoders (libc and the core only).
$(BUILD)/fuzz/replay_lwm2m_tlv $(BUILD)/fuzz/replay_lwm2m_senml: $(wildcard src/shell/lwm2m_data.* src/shell/lwm2m_tlv.c src/shell/lwm2m_senml.c)

# The JSON grammar harness includes its oracle.
$(BUILD)/fuzz/replay_json_grammar: fuzz/json_grammar_oracle.h

unit: $(UNIT_BIN) $(HOST_TEST_BIN)
	@scripts/run-unit $(UNIT_BIN) $(HOST_TEST_BIN)

# Integration tests: real processes on 127.0.0.1 (mefd, libcoap's tools, scep).
integration: all
	@scripts/run-integration $(INTEGRATION)

vectors: $(MEFC)
	$(MEFC) vector $(VECTORS)
	@tests/vector-runner.sh $(MEFC)

# The hostile-input catalogue (tests/hostile): every case through the core,
# every payload through the sanitizer builds of the reader and the decision.
hostile: $(MEFC) $(BUILD)/fuzz/replay_json $(BUILD)/fuzz/replay_decode
	$(MEFC) vector tests/hostile/catalogue.json
	@ASAN_OPTIONS=abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 $(BUILD)/fuzz/replay_json tests/hostile/payloads
	@ASAN_OPTIONS=abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 $(BUILD)/fuzz/replay_decode tests/hostile/payloads

# Fault campaigns (tests/faults): the client killed at every fault point
# (a build whose src/shell/faultpoint.c is compiled with -DMEFC_FAULTPOINTS),
# lossy and reordering networks, an unreachable or restarted MEF.
# `make soak` runs the same scripts with larger schedules.
FAULT_MEFC := $(BUILD)/fault/mefc
$(BUILD)/fault/faultpoint.o: src/shell/faultpoint.c src/shell/faultpoint.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -DMEFC_FAULTPOINTS -Isrc -c $< -o $@
$(FAULT_MEFC): $(filter-out $(BUILD)/obj/shell/faultpoint.o,$(APP_OBJ)) $(BUILD)/fault/faultpoint.o $(CORE_LIB)
	$(CC) $(HOST_CFLAGS) -o $@ $(filter-out $(BUILD)/obj/shell/faultpoint.o,$(APP_OBJ)) \
	  $(BUILD)/fault/faultpoint.o $(CORE_LIB) $(APP_LIBS)

faults: all $(FAULT_MEFC)
	@MEFC_FAULT=$(FAULT_MEFC) scripts/run-integration $(sort $(wildcard tests/faults/*.sh))

soak: all $(FAULT_MEFC)
	@MEFC_FAULT=$(FAULT_MEFC) FAULTS_SOAK=1 scripts/run-integration $(sort $(wildcard tests/faults/*.sh))

fuzz-replay: $(REPLAY_BIN)
	@scripts/fuzz-replay $(FUZZ_NAMES)

fuzz-smoke:
	@scripts/fuzz-smoke $(FUZZ_NAMES)

prove:
	@scripts/prove

prove-start:
	@rm -f $(BUILD)/proof-gate.rc
	@mkdir -p $(BUILD)
	@(nice -n 10 scripts/prove >$(BUILD)/proof-gate.log 2>&1; echo $$? >$(BUILD)/proof-gate.rc) </dev/null >/dev/null 2>&1 &
	@echo "prove: the proof gate runs in the background ($(BUILD)/proof-gate.log); its verdict comes last"

prove-wait:
	@scripts/prove-wait

# Eva over the any-input harness: `make eva` runs every part of it; check runs
# the parts of EVA_CHECK_PARTS: every part is at zero alarms, and all but the
# engine's fit check's time (see proofs/README.md, "Status").
EVA_CHECK_PARTS ?= values json decide
eva:
	@scripts/eva
eva-check:
	@EVA_PARTS="$(EVA_CHECK_PARTS)" scripts/eva

# The same unit tests under ASan+UBSan (separate build tree) and under valgrind.
sanitize:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/san OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" unit

memcheck: $(UNIT_BIN) $(HOST_TEST_BIN)
	@VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" scripts/run-unit $(UNIT_BIN) $(HOST_TEST_BIN)

# Static analysers: cppcheck over all sources, clang-tidy over the core.
lint:
	@scripts/lint

# The core must link with no libc: only the compiler's mem* helpers may be undefined.
freestanding: $(CORE_LIB)
	@scripts/check-freestanding $(CORE_LIB)

# Every requirement ID named in code and tests exists in spec/requirements.md.
trace:
	@scripts/check-trace

# The protocol model (spec/model): exhaustive checks within stated bounds,
# the mutants that must fail, and the engine replaying the model's traces.
model: $(BUILD)/tests/test_model_trace
	@scripts/model

# Installs missing Debian packages (a quick no-op when all are present).
deps:
	@sh scripts/install-deps

check: deps
	@$(MAKE) --no-print-directory check-only

# The proof gate replays every goal of the core (tens of minutes of goal
# generation on two cores), so check starts it first in the background and
# collects its verdict last; the other stages run meanwhile. It runs niced:
# the foreground stages that talk to live peers on timers keep their pace,
# and the gate takes every cycle they leave.
check-only: all prove-start unit sanitize memcheck vectors integration fuzz-replay freestanding trace lint fuzz-smoke bench-smoke model hostile faults eva-check prove-wait
	@echo "make check: all stages passed"

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo

# Benchmarks (bench/): `make bench` prints the table kept in bench/RESULTS.md;
# `make bench-smoke` runs each benchmark briefly and checks its figures are sane.
BENCH_BIN := $(BUILD)/bench/core_bench $(BUILD)/bench/coap_load $(BUILD)/bench/stamp
BENCH_CORE_SRC := bench/core_bench.c bench/payloads.c bench/alt_cjson.c bench/alt_jsmn.c bench/heap_count.c

$(BUILD)/bench/core_bench: $(BENCH_CORE_SRC) bench/bench.h $(BUILD)/obj/shell/client_json.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Isrc $(shell pkg-config --cflags jansson libcjson 2>/dev/null) -o $@ \
	  $(BENCH_CORE_SRC) $(BUILD)/obj/shell/client_json.o $(CORE_LIB) $(shell pkg-config --libs jansson libcjson 2>/dev/null)
$(BUILD)/bench/coap_load: bench/coap_load.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(OPT) $(WARN) -D_GNU_SOURCE -o $@ $< $(shell pkg-config --cflags --libs libcoap-3-openssl 2>/dev/null)
$(BUILD)/bench/stamp: bench/stamp.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $<

bench: all $(BENCH_BIN)
	@bench/run.sh

bench-smoke: all $(BENCH_BIN)
	@bench/run.sh --smoke

clean:
	rm -rf $(BUILD)
