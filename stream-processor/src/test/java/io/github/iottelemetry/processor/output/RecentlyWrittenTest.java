package io.github.iottelemetry.processor.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentlyWrittenTest {

    @Test
    void keepsTheMostRecentlyWrittenKeysUpToItsCapacity() {
        RecentlyWritten<String> written = new RecentlyWritten<>(2);
        written.add("a");
        written.add("b");
        written.add("a"); // written again: now the most recent
        written.add("c"); // over capacity: the least recently written, b, goes

        assertThat(written.contains("a")).isTrue();
        assertThat(written.contains("b")).isFalse();
        assertThat(written.contains("c")).isTrue();
        assertThat(written.contains("never")).isFalse();
    }
}
