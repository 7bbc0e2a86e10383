package io.ployer.engine.account;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.Role;
import io.ployer.api.account.User;
import io.ployer.spi.storage.Storage;
import java.util.Optional;

/**
 * The instance's owner and admins. Storage keeps owners as ADMIN users (the role column knows
 * ADMIN and USER only) and the owner's id as the setting {@value #OWNER_SETTING}; the engine shows
 * that user as {@link Role#OWNER}. Only the owner makes or unmakes admins and hands ownership over;
 * an admin may not demote or remove the owner.
 */
final class InstanceRoles {
    static final String OWNER_SETTING = "instance.owner";

    private final Storage storage;

    InstanceRoles(Storage storage) {
        this.storage = storage;
    }

    /** The owner's id, if there is one (none before the first registration). */
    Optional<String> ownerId() {
        return storage.settings().get(OWNER_SETTING);
    }

    /** The user as the engine shows it: OWNER for the owner, else the stored role. */
    User shown(User stored) {
        if (stored == null || stored.role() == Role.OWNER) {
            return stored;
        }
        return ownerId().filter(stored.id()::equals)
                .map(owner -> new User(stored.id(), stored.email(), stored.passwordHash(), Role.OWNER, stored.createdAt()))
                .orElse(stored);
    }

    /** What storage keeps for a role (an owner is stored as an admin). */
    static Role stored(Role role) {
        return role == Role.OWNER ? Role.ADMIN : role;
    }

    private User requireUser(Storage tx, String userId, String field) {
        return (userId == null || userId.length() > 64 ? Optional.<User>empty() : tx.users().findById(userId))
                .orElseThrow(() -> field == null ? PloyerException.notFound("user", userId)
                        : PloyerException.invalid(field, "must name an existing user"));
    }

    private static void requireOwner(Storage tx, String actingUserId, String what) {
        if (actingUserId == null || !tx.settings().get(OWNER_SETTING).map(actingUserId::equals).orElse(false)) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "only the instance owner may " + what);
        }
    }

    User setRole(String actingUserId, String userId, Role role) {
        return storage.inTransaction(tx -> {
            requireOwner(tx, actingUserId, "make or unmake admins");
            if (role == null || role == Role.OWNER) {
                throw PloyerException.invalid("role", role == null ? "is required (admin or user)"
                        : "cannot be given this way: the owner hands ownership over with a transfer");
            }
            User user = requireUser(tx, userId, null);
            if (user.id().equals(actingUserId)) {
                throw new PloyerException(StandardErrorCode.INVALID_STATE,
                        "the owner's own role changes only by handing ownership to someone else");
            }
            User changed = new User(user.id(), user.email(), user.passwordHash(), role, user.createdAt());
            tx.users().update(changed);
            return changed;
        });
    }

    /** The system's own role change (no acting user): anything but demoting the owner. */
    void setRoleAsSystem(String userId, Role role) {
        storage.inTransaction(tx -> {
            if (role == null) {
                throw PloyerException.invalid("role", "is required (ADMIN or USER)");
            }
            User user = requireUser(tx, userId, null);
            boolean owner = tx.settings().get(OWNER_SETTING).map(user.id()::equals).orElse(false);
            if (owner && role == Role.USER) {
                throw new PloyerException(StandardErrorCode.INVALID_STATE,
                        "the owner cannot be demoted: hand ownership to someone else first");
            }
            if (role == Role.OWNER) {
                tx.settings().put(OWNER_SETTING, user.id());
            }
            tx.users().update(new User(user.id(), user.email(), user.passwordHash(), stored(role), user.createdAt()));
            return null;
        });
    }

    User transfer(String actingUserId, String newOwnerId) {
        return storage.inTransaction(tx -> {
            requireOwner(tx, actingUserId, "hand ownership over");
            User next = requireUser(tx, newOwnerId, "user_id");
            if (next.id().equals(actingUserId)) {
                throw PloyerException.invalid("user_id", "must name another user: you are the owner already");
            }
            tx.users().update(new User(next.id(), next.email(), next.passwordHash(), Role.ADMIN, next.createdAt()));
            tx.settings().put(OWNER_SETTING, next.id());
            return new User(next.id(), next.email(), next.passwordHash(), Role.OWNER, next.createdAt());
        });
    }

    void remove(String actingUserId, String userId) {
        storage.inTransaction(tx -> {
            User actor = requireUser(tx, actingUserId, null);
            boolean actorOwner = tx.settings().get(OWNER_SETTING).map(actor.id()::equals).orElse(false);
            if (!actor.role().instanceAdmin()) {
                throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "only an instance admin may remove users");
            }
            User user = requireUser(tx, userId, null);
            if (tx.settings().get(OWNER_SETTING).map(user.id()::equals).orElse(false)) {
                throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "the instance owner cannot be removed");
            }
            if (user.id().equals(actor.id())) {
                throw new PloyerException(StandardErrorCode.INVALID_STATE, "you cannot remove yourself");
            }
            if (user.role().instanceAdmin() && !actorOwner) {
                throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "only the instance owner may remove an admin");
            }
            tx.users().delete(user.id());
            return null;
        });
    }
}
