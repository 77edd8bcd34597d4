# Build targets that `sam build` calls (Metadata: BuildMethod: makefile in template.yaml).
# SAM sets ARTIFACTS_DIR to the folder whose contents become the function's deployment package.

.PHONY: build-IngestFunction

# The ingest function is a module of the Maven reactor: build it with its sibling modules, then unpack
# the shaded jar so the package holds the classes at its root, as the Java runtime expects.
build-IngestFunction:
	./mvnw -q -pl ingest-lambda -am package -DskipTests
	@jar="$$(ls ingest-lambda/target/ingest-lambda-*.jar 2>/dev/null | grep -v -e '-sources.jar$$' -e '-tests.jar$$' | head -n 1)"; \
	if [ -z "$$jar" ]; then echo "no shaded jar in ingest-lambda/target after the build" >&2; exit 1; fi; \
	mkdir -p "$(ARTIFACTS_DIR)" && cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/$$jar"
