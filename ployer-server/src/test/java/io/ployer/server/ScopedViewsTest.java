package io.ployer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.engine.access.PrincipalView;
import io.ployer.server.auth.CallerScopedPloyer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's view for one principal and the server's per-request view implement every service
 * of {@link Ployer} themselves: a service added to the API with a default (which throws) and not
 * to the views answered every request for it with a 500, or skipped the permission check.
 */
class ScopedViewsTest {
    private static List<String> inherited(Class<?> view) {
        List<String> missing = new ArrayList<>();
        for (Method method : Ployer.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            try {
                if (view.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass() != view) {
                    missing.add(method.getName());
                }
            } catch (NoSuchMethodException e) {
                missing.add(method.getName());
            }
        }
        return missing;
    }

    @Test
    void bothViewsImplementEveryService() {
        assertThat(inherited(CallerScopedPloyer.class)).as("CallerScopedPloyer").isEmpty();
        assertThat(inherited(PrincipalView.class)).as("PrincipalView").isEmpty();
    }
}
