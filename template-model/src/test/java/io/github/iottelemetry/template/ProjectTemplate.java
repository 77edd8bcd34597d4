package io.github.iottelemetry.template;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's own template.yaml from wherever the tests run (module folder or project root). */
final class ProjectTemplate {

    private ProjectTemplate() {}

    /** The project root: the nearest folder upwards that holds both template.yaml and the Maven wrapper. */
    static Path projectRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path folder = start; folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("template.yaml")) && Files.isRegularFile(folder.resolve("mvnw"))) {
                return folder;
            }
        }
        throw new IllegalStateException("no folder at or above " + start + " holds template.yaml and mvnw;"
                + " run the tests from inside the project");
    }

    static Path templatePath() {
        return projectRoot().resolve("template.yaml");
    }

    static CfnTemplate load() {
        return CfnTemplate.load(templatePath());
    }
}
