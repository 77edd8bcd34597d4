package io.github.iottelemetry.processor.output.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Parquet files as byte arrays: lake objects are read from and written to S3 whole, and the processor's task
 * runs on a read-only root filesystem, so no temporary file is involved.
 */
final class InMemoryFiles {

    private InMemoryFiles() {}

    /** A Parquet file to write; {@link #bytes()} once the writer is closed. */
    static final class Output implements OutputFile {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

        byte[] bytes() {
            return buffer.toByteArray();
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return createOrOverwrite(blockSizeHint);
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            buffer.reset();
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return buffer.size();
                }

                @Override
                public void write(int b) {
                    buffer.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    buffer.write(b, off, len);
                }
            };
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }

    /** A Parquet file held in memory, for reading. */
    static InputFile input(byte[] content) {
        return new InputFile() {
            @Override
            public long getLength() {
                return content.length;
            }

            @Override
            public SeekableInputStream newStream() {
                SeekableBytes in = new SeekableBytes(content);
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() {
                        return in.position();
                    }

                    @Override
                    public void seek(long newPos) throws IOException {
                        in.seek(newPos);
                    }
                };
            }
        };
    }

    private static final class SeekableBytes extends ByteArrayInputStream {
        SeekableBytes(byte[] content) {
            super(content);
        }

        long position() {
            return pos;
        }

        void seek(long position) throws EOFException {
            if (position < 0 || position > count) {
                throw new EOFException("seek to " + position + " in a Parquet file of " + count + " bytes");
            }
            pos = (int) position;
        }
    }
}
