package io.github.iottelemetry.template;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the fixture templates under src/test/resources/templates. */
final class Fixtures {

    private Fixtures() {}

    static Path template(String fileName) {
        URL url = Fixtures.class.getResource("/templates/" + fileName);
        if (url == null) {
            throw new IllegalArgumentException("no fixture templates/" + fileName + " on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
