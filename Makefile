# The two README commands (CI's .ci/run calls scripts/test.sh, the same as `make test`).
.PHONY: run test setup

run:
	bash scripts/run-app.sh

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh
