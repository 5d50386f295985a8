package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.InputStream;

/**
 * Loads the launcher code that must use the framework's bundle classes (one package of the launcher, e.g.
 * {@value #SQLITE} for the Python import, {@value #GOGO} for the shell socket) on top of a bundle's class loader:
 * those classes are defined here from the launcher jar's bytes, see the bundle's packages (its own and its imports)
 * through the parent, and the rest of the launcher's classes ({@code org.sepl.connector.launcher.*}, the contract
 * between both sides) through the launcher's loader.
 */
final class BundleSideClassLoader extends ClassLoader {

    /** The code on connector.store.sqlite's classes. */
    static final String SQLITE = "org.sepl.connector.launcher.sqlite";
    /** The code on the Gogo runtime's classes. */
    static final String GOGO = "org.sepl.connector.launcher.gogo";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader launcher = BundleSideClassLoader.class.getClassLoader();
    private final String ownPackage;

    /**
     * @param bundleLoader the class loader of the bundle whose packages the code uses (its wiring's)
     * @param ownPackage   the launcher package defined here, on top of the bundle's classes
     */
    BundleSideClassLoader(ClassLoader bundleLoader, String ownPackage) {
        super("launcher-on-bundle", bundleLoader);
        this.ownPackage = ownPackage;
    }

    /**
     * @return a new instance, made with its no-argument constructor, of the class {@code name} of
     *         {@code ownPackage} loaded on top of {@code bundleLoader}, as its launcher-side interface {@code type}
     * @throws IllegalStateException if it cannot be loaded
     */
    static <T> T instantiate(ClassLoader bundleLoader, String ownPackage, String name, Class<T> type) {
        try {
            return new BundleSideClassLoader(bundleLoader, ownPackage).loadClass(name).asSubclass(type)
                    .getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + name + ": " + e, e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                if (name.startsWith(ownPackage + ".")) {
                    type = findClass(name);
                } else if (name.startsWith("org.sepl.connector.launcher.")) {
                    type = launcher.loadClass(name);
                } else {
                    type = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = launcher.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
