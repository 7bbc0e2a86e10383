package io.ployer.spi.build;

import java.util.Objects;

/** What came of a build. */
public sealed interface BuildOutcome {

    /** An image is ready. */
    record Built(String imageRef) implements BuildOutcome {
        public Built {
            Objects.requireNonNull(imageRef, "imageRef");
        }
    }

    /** The build failed, for a reason a user understands. */
    record Failed(String reason) implements BuildOutcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
