package io.ployer.plugin.docker.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A tar stream of one regular file, made on the fly from the file's content stream, so a file of any
 * size goes into a container without being held in memory.
 */
final class SingleFileTar extends InputStream {
    private static final int BLOCK = 512;
    private final InputStream stream;

    SingleFileTar(String name, InputStream content, long size) {
        if (name.getBytes(StandardCharsets.UTF_8).length > 99 || name.contains("/")) {
            throw new IllegalArgumentException("a plain file name of at most 99 bytes is needed: " + name);
        }
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        byte[] trailer = new byte[padding + 2 * BLOCK];
        stream = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(header(name, size)), new Bounded(content, size), new ByteArrayInputStream(trailer))));
    }

    private static byte[] header(String name, long size) {
        byte[] header = new byte[BLOCK];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, String.format("%011o", 0));
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        put(header, 148, String.format("%06o", checksum));
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    @Override
    public int read() throws IOException {
        return stream.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return stream.read(buffer, offset, length);
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }

    /** Exactly {@code size} bytes of the content; a shorter content is an error (the tar would be corrupt). */
    private static final class Bounded extends InputStream {
        private final InputStream content;
        private long remaining;

        Bounded(InputStream content, long size) {
            this.content = content;
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int read = content.read(buffer, offset, (int) Math.min(length, remaining));
            if (read < 0) {
                throw new IOException("the file ended " + remaining + " bytes early");
            }
            remaining -= read;
            return read;
        }
    }
}
