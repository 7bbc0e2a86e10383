package io.ployer.spi.build;

import java.util.Objects;

/** What came of a build. */
public sealed interface BuildOutcome {

    /**
     * An image is ready.
     *
     * @param imageRef     the image to run
     * @param sourceDigest for an image pulled from a registry, the digest ({@code sha256:…}) it resolved to, else {@code null}
     */
    record Built(String imageRef, String sourceDigest) implements BuildOutcome {
        public Built {
            Objects.requireNonNull(imageRef, "imageRef");
        }

        public Built(String imageRef) {
            this(imageRef, null);
        }
    }

    /** The build failed, for a reason a user understands. */
    record Failed(String reason) implements BuildOutcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
