package io.github.iottelemetry.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    @Test
    void bashReadsBackEveryValueUnchanged(@TempDir Path folder) throws IOException, InterruptedException {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4567");
        environment.put("JAVA_TOOL_OPTIONS", "-Daws.cborEnabled=false -Dx='y z'");
        environment.put("ODD", "it's $HOME `id` \"quoted\"");
        Path file = folder.resolve("env");
        EnvFile.write(file, environment);

        Process bash = new ProcessBuilder(
                        "bash",
                        "-c",
                        "source \"$1\" && printf '%s\\n' \"$AWS_ENDPOINT_URL_KINESIS\" \"$JAVA_TOOL_OPTIONS\" \"$ODD\"",
                        "bash",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(bash.waitFor()).isZero();
        assertThat(output).isEqualTo(String.join("\n", environment.values()) + "\n");
    }
}
