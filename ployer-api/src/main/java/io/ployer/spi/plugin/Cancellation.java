package io.ployer.spi.plugin;

/**
 * Tells long-running plugin work (a build, a pull, a health wait) that it should stop. Plugins
 * check {@link #isCancelled()} between steps and register {@link #onCancel(Runnable)} to abort
 * blocking calls (close a stream, kill a build).
 */
public interface Cancellation {

    /** A cancellation that never fires. */
    Cancellation NONE = new Cancellation() {
        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable action) {
            // never fires
        }
    };

    boolean isCancelled();

    /** Runs {@code action} once when cancelled (at once if already cancelled). */
    void onCancel(Runnable action);
}
