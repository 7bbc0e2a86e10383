package io.ployer.engine.account;

import java.util.Arrays;

/**
 * Argon2id (RFC 9106, version 0x13) on the JDK alone, with its BLAKE2b (RFC 7693).
 *
 * <p>Why not BouncyCastle's: the hash runs at every login, and touching BouncyCastle makes the JVM
 * load and verify a large signed jar (its manifest digests, its provider tables), which a
 * long-running server keeps for good: ~7 MB of resident memory for one login. This class computes
 * the same tags (tested against BouncyCastle and RFC 9106's test vector) with one {@code long[]}
 * of {@code m} KiB as the only large allocation. Lanes are computed one after the other.
 */
final class Argon2id {
    private static final int VERSION = 0x13;
    private static final int TYPE_ID = 2;
    private static final int BLOCK_WORDS = 128;
    private static final int SYNC_POINTS = 4;

    private Argon2id() {
    }

    /**
     * The tag of {@code password} with {@code salt}, {@code secret} and {@code associated} data
     * (empty arrays when unused).
     */
    static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKibibytes, int iterations,
                       int lanes, int tagLength) {
        if (lanes < 1 || iterations < 1 || tagLength < 4 || memoryKibibytes < 8 * lanes) {
            throw new IllegalArgumentException("argon2id parameters out of range");
        }
        int blocks = 4 * lanes * (memoryKibibytes / (4 * lanes));
        int laneLength = blocks / lanes;
        int segmentLength = laneLength / SYNC_POINTS;
        long[] memory = new long[blocks * BLOCK_WORDS];

        Blake2b h0 = new Blake2b(64);
        h0.updateInt(lanes).updateInt(tagLength).updateInt(memoryKibibytes).updateInt(iterations).updateInt(VERSION)
                .updateInt(TYPE_ID);
        h0.updateInt(password.length).update(password);
        h0.updateInt(salt.length).update(salt);
        h0.updateInt(secret.length).update(secret);
        h0.updateInt(associated.length).update(associated);
        byte[] seed = Arrays.copyOf(h0.digest(), 72);
        for (int lane = 0; lane < lanes; lane++) {
            for (int column = 0; column < 2; column++) {
                writeInt(seed, 64, column);
                writeInt(seed, 68, lane);
                byte[] block = variableHash(seed, 1024);
                int offset = (lane * laneLength + column) * BLOCK_WORDS;
                for (int word = 0; word < BLOCK_WORDS; word++) {
                    memory[offset + word] = readLong(block, word * 8);
                }
            }
        }
        Arrays.fill(seed, (byte) 0);

        long[] scratch = new long[BLOCK_WORDS];
        long[] addresses = new long[BLOCK_WORDS];
        long[] input = new long[BLOCK_WORDS];
        long[] zero = new long[BLOCK_WORDS];
        for (int pass = 0; pass < iterations; pass++) {
            for (int slice = 0; slice < SYNC_POINTS; slice++) {
                for (int lane = 0; lane < lanes; lane++) {
                    fillSegment(memory, scratch, addresses, input, zero, pass, lane, slice, lanes, laneLength, segmentLength,
                            blocks, iterations);
                }
            }
        }

        byte[] last = new byte[1024];
        long[] accumulator = new long[BLOCK_WORDS];
        for (int lane = 0; lane < lanes; lane++) {
            int offset = (lane * laneLength + laneLength - 1) * BLOCK_WORDS;
            for (int word = 0; word < BLOCK_WORDS; word++) {
                accumulator[word] ^= memory[offset + word];
            }
        }
        for (int word = 0; word < BLOCK_WORDS; word++) {
            writeLong(last, word * 8, accumulator[word]);
        }
        Arrays.fill(memory, 0L);
        return variableHash(last, tagLength);
    }

    private static void fillSegment(long[] memory, long[] scratch, long[] addresses, long[] input, long[] zero, int pass,
                                    int lane, int slice, int lanes, int laneLength, int segmentLength, int blocks,
                                    int iterations) {
        boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
        if (independent) {
            Arrays.fill(input, 0L);
            input[0] = pass;
            input[1] = lane;
            input[2] = slice;
            input[3] = blocks;
            input[4] = iterations;
            input[5] = TYPE_ID;
        }
        int start = pass == 0 && slice == 0 ? 2 : 0;
        if (independent && start == 2) {
            nextAddresses(addresses, input, zero, scratch);
        }
        int current = lane * laneLength + slice * segmentLength + start;
        int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
        for (int index = start; index < segmentLength; index++, current++, previous++) {
            if (current % laneLength == 1) {
                previous = current - 1;
            }
            long random;
            if (independent) {
                if (index % BLOCK_WORDS == 0) {
                    nextAddresses(addresses, input, zero, scratch);
                }
                random = addresses[index % BLOCK_WORDS];
            } else {
                random = memory[previous * BLOCK_WORDS];
            }
            int referenceLane = (int) ((random >>> 32) % lanes);
            if (pass == 0 && slice == 0) {
                referenceLane = lane;
            }
            boolean sameLane = referenceLane == lane;
            int area;
            if (pass == 0) {
                area = sameLane ? slice * segmentLength + index - 1 : slice * segmentLength + (index == 0 ? -1 : 0);
            } else {
                area = sameLane ? laneLength - segmentLength + index - 1 : laneLength - segmentLength + (index == 0 ? -1 : 0);
            }
            long j1 = random & 0xFFFFFFFFL;
            long x = (j1 * j1) >>> 32;
            long y = (area * x) >>> 32;
            long relative = area - 1 - y;
            long startPosition = pass == 0 ? 0 : (slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength);
            int referenceIndex = (int) ((startPosition + relative) % laneLength);
            int reference = referenceLane * laneLength + referenceIndex;
            compress(memory, previous * BLOCK_WORDS, reference * BLOCK_WORDS, current * BLOCK_WORDS, pass > 0, scratch);
        }
    }

    /** The next 128 pseudo-random words of data-independent addressing: G(0, G(0, input)) with the counter bumped. */
    private static void nextAddresses(long[] addresses, long[] input, long[] zero, long[] scratch) {
        input[6]++;
        long[] tmp = new long[BLOCK_WORDS];
        compressBlocks(zero, input, tmp, false, scratch);
        compressBlocks(zero, tmp, addresses, false, scratch);
    }

    private static void compress(long[] memory, int xOffset, int yOffset, int outOffset, boolean xorInto, long[] r) {
        for (int word = 0; word < BLOCK_WORDS; word++) {
            r[word] = memory[xOffset + word] ^ memory[yOffset + word];
        }
        long[] z = r.clone();
        permute(z);
        for (int word = 0; word < BLOCK_WORDS; word++) {
            long value = z[word] ^ r[word];
            memory[outOffset + word] = xorInto ? memory[outOffset + word] ^ value : value;
        }
    }

    private static void compressBlocks(long[] x, long[] y, long[] out, boolean xorInto, long[] r) {
        for (int word = 0; word < BLOCK_WORDS; word++) {
            r[word] = x[word] ^ y[word];
        }
        long[] z = r.clone();
        permute(z);
        for (int word = 0; word < BLOCK_WORDS; word++) {
            long value = z[word] ^ r[word];
            out[word] = xorInto ? out[word] ^ value : value;
        }
    }

    /** P applied to the eight rows, then to the eight columns, of a block seen as 8 x 8 pairs of words. */
    private static void permute(long[] z) {
        for (int row = 0; row < 8; row++) {
            int b = row * 16;
            round(z, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14,
                    b + 15);
        }
        for (int column = 0; column < 8; column++) {
            int b = column * 2;
            round(z, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81, b + 96, b + 97,
                    b + 112, b + 113);
        }
    }

    private static void round(long[] v, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7, int v8, int v9,
                              int v10, int v11, int v12, int v13, int v14, int v15) {
        mix(v, v0, v4, v8, v12);
        mix(v, v1, v5, v9, v13);
        mix(v, v2, v6, v10, v14);
        mix(v, v3, v7, v11, v15);
        mix(v, v0, v5, v10, v15);
        mix(v, v1, v6, v11, v12);
        mix(v, v2, v7, v8, v13);
        mix(v, v3, v4, v9, v14);
    }

    /** BLAKE2b's G with Argon2's multiplications (BlaMka). */
    private static void mix(long[] v, int a, int b, int c, int d) {
        v[a] = blamka(v[a], v[b]);
        v[d] = Long.rotateRight(v[d] ^ v[a], 32);
        v[c] = blamka(v[c], v[d]);
        v[b] = Long.rotateRight(v[b] ^ v[c], 24);
        v[a] = blamka(v[a], v[b]);
        v[d] = Long.rotateRight(v[d] ^ v[a], 16);
        v[c] = blamka(v[c], v[d]);
        v[b] = Long.rotateRight(v[b] ^ v[c], 63);
    }

    private static long blamka(long x, long y) {
        return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
    }

    /** H' of RFC 9106 (section 3.3): BLAKE2b stretched to {@code length} bytes. */
    static byte[] variableHash(byte[] input, int length) {
        if (length <= 64) {
            return new Blake2b(length).updateInt(length).update(input).digest();
        }
        byte[] out = new byte[length];
        byte[] v = new Blake2b(64).updateInt(length).update(input).digest();
        System.arraycopy(v, 0, out, 0, 32);
        int position = 32;
        int r = (length + 31) / 32 - 2;
        for (int i = 2; i <= r; i++) {
            v = new Blake2b(64).update(v).digest();
            System.arraycopy(v, 0, out, position, 32);
            position += 32;
        }
        byte[] tail = new Blake2b(length - 32 * r).update(v).digest();
        System.arraycopy(tail, 0, out, position, tail.length);
        return out;
    }

    private static void writeInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        bytes[offset + 2] = (byte) (value >>> 16);
        bytes[offset + 3] = (byte) (value >>> 24);
    }

    private static void writeLong(byte[] bytes, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static long readLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xFFL);
        }
        return value;
    }

    /** BLAKE2b without a key (RFC 7693), any digest length from 1 to 64 bytes. */
    static final class Blake2b {
        private static final java.util.List<Long> IV = java.util.List.of(
            0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L,
            0x510e527fade682d1L, 0x9b05688c2b3e6c1fL, 0x1f83d9abfb41bd6bL, 0x5be0cd19137e2179L);
        /** The message word permutation of each round (RFC 7693 section 2.7), one hex digit per index, ten rows of 16. */
        private static final String SIGMA = "0123456789abcdef"
                + "ea489fd61c02b753"
                + "b8c052fdae367194"
                + "7931dcbe265a40f8"
                + "905724afe1bc683d"
                + "2c6a0b834d75fe19"
                + "c51fed4a0763928b"
                + "db7ec13950f4862a"
                + "6fe9b308c2d714a5"
                + "a2847615fb9e3cd0";

        private final long[] h = new long[8];
        private final byte[] buffer = new byte[128];
        private final long[] m = new long[16];
        private final long[] v = new long[16];
        private final int digestLength;
        private int buffered;
        private long counter;

        Blake2b(int digestLength) {
            if (digestLength < 1 || digestLength > 64) {
                throw new IllegalArgumentException("BLAKE2b digests are 1 to 64 bytes");
            }
            this.digestLength = digestLength;
            for (int i = 0; i < 8; i++) {
                h[i] = IV.get(i);
            }
            h[0] ^= 0x01010000L ^ digestLength;
        }

        Blake2b updateInt(int value) {
            byte[] bytes = new byte[4];
            writeInt(bytes, 0, value);
            return update(bytes);
        }

        Blake2b update(byte[] input) {
            int offset = 0;
            int length = input.length;
            while (length > 0) {
                if (buffered == 128) {
                    counter += 128;
                    compress(false);
                    buffered = 0;
                }
                int take = Math.min(128 - buffered, length);
                System.arraycopy(input, offset, buffer, buffered, take);
                buffered += take;
                offset += take;
                length -= take;
            }
            return this;
        }

        byte[] digest() {
            counter += buffered;
            Arrays.fill(buffer, buffered, 128, (byte) 0);
            compress(true);
            byte[] full = new byte[64];
            for (int i = 0; i < 8; i++) {
                writeLong(full, i * 8, h[i]);
            }
            return Arrays.copyOf(full, digestLength);
        }

        private void compress(boolean last) {
            for (int i = 0; i < 16; i++) {
                m[i] = readLong(buffer, i * 8);
            }
            System.arraycopy(h, 0, v, 0, 8);
            for (int i = 0; i < 8; i++) {
                v[i + 8] = IV.get(i);
            }
            v[12] ^= counter;
            if (last) {
                v[14] = ~v[14];
            }
            for (int round = 0; round < 12; round++) {
                int row = (round % 10) * 16;
                g(0, 4, 8, 12, m[sigma(row)], m[sigma(row + 1)]);
                g(1, 5, 9, 13, m[sigma(row + 2)], m[sigma(row + 3)]);
                g(2, 6, 10, 14, m[sigma(row + 4)], m[sigma(row + 5)]);
                g(3, 7, 11, 15, m[sigma(row + 6)], m[sigma(row + 7)]);
                g(0, 5, 10, 15, m[sigma(row + 8)], m[sigma(row + 9)]);
                g(1, 6, 11, 12, m[sigma(row + 10)], m[sigma(row + 11)]);
                g(2, 7, 8, 13, m[sigma(row + 12)], m[sigma(row + 13)]);
                g(3, 4, 9, 14, m[sigma(row + 14)], m[sigma(row + 15)]);
            }
            for (int i = 0; i < 8; i++) {
                h[i] ^= v[i] ^ v[i + 8];
            }
        }

        private static int sigma(int index) {
            return Character.digit(SIGMA.charAt(index), 16);
        }

        private void g(int a, int b, int c, int d, long x, long y) {
            v[a] = v[a] + v[b] + x;
            v[d] = Long.rotateRight(v[d] ^ v[a], 32);
            v[c] = v[c] + v[d];
            v[b] = Long.rotateRight(v[b] ^ v[c], 24);
            v[a] = v[a] + v[b] + y;
            v[d] = Long.rotateRight(v[d] ^ v[a], 16);
            v[c] = v[c] + v[d];
            v[b] = Long.rotateRight(v[b] ^ v[c], 63);
        }
    }
}
