package io.ployer.spi.git;

import java.util.Objects;

/** Whether a webhook delivery is authentic. */
public sealed interface Verification {

    /** The signature or token matches. */
    record Verified() implements Verification {
    }

    /** It does not, or is missing. */
    record Rejected(String reason) implements Verification {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
