# Build targets that `sam build` calls (Metadata: BuildMethod: makefile in template.yaml).
# SAM sets ARTIFACTS_DIR to the folder whose contents become the function's deployment package.

.PHONY: build-IngestFunction

# The ingest function is a module of the Maven reactor: build it with its sibling modules; the build
# lays out the deployment package as Lambda expects it (classes at the root, dependency jars in lib/).
# -am also builds local-cloud (a test-scope dependency): '!install-node-engines' skips its npm ci, so the
# function builds without Node.js; the code-format check is the test build's job, not a deploy's. make runs in the project root: SAM's scratch copy of it, or the project
# itself with --build-in-source (template.yaml sets no WorkingDirectory).
build-IngestFunction:
	./mvnw -q -pl ingest-lambda -am -P '!install-node-engines' package -DskipTests -Dspotless.check.skip=true
	@test -d ingest-lambda/target/lambda/lib || { echo "no ingest-lambda/target/lambda package after the build" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)" && cp -R ingest-lambda/target/lambda/. "$(ARTIFACTS_DIR)/"
