package io.ployer.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.runtime.ContainerRuntime;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every method of the runtime SPI, its defaults and any added later included, reaches the runtime
 * behind a decorator; only {@code close()} stays with the engine.
 */
class ForwardingContainerRuntimeTest {

    private static String signature(Method method) {
        return method.getName() + Arrays.toString(method.getParameterTypes());
    }

    private static Object empty(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    @Test
    void forwardsEveryMethodButClose() throws Exception {
        List<String> reached = new ArrayList<>();
        ContainerRuntime behind = (ContainerRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerRuntime.class}, (proxy, method, arguments) -> {
                    reached.add(signature(method));
                    Class<?> returned = method.getReturnType();
                    return returned == Optional.class ? Optional.empty() : empty(returned);
                });
        ContainerRuntime decorator = new ForwardingContainerRuntime(behind) {
        };
        List<String> expected = new ArrayList<>();
        for (Method method : ContainerRuntime.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Object[] arguments = Arrays.stream(method.getParameterTypes()).map(ForwardingContainerRuntimeTest::empty).toArray();
            method.invoke(decorator, arguments);
            if (!method.getName().equals("close")) {
                expected.add(signature(method));
            }
        }
        assertThat(expected).hasSizeGreaterThan(25);
        assertThat(reached).containsExactlyInAnyOrderElementsOf(expected);
    }
}
