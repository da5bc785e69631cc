import { ConfigError } from './errors';

/**
 * Whether `error` is Node's "cannot find package" for `packageName`, from `require` or `import`
 * (a package that is missing, as opposed to one that fails while loading).
 */
export function isMissingPackage(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && message.includes(`'${packageName}'`);
}

/**
 * Loads the module behind a feature that needs an optional peer dependency, turning its absence
 * into a {@link ConfigError} that names the package to install (`key` names the setting that
 * chose the feature, e.g. the database URL). Any other failure is rethrown as it is.
 */
export async function loadOptionalDependency<T>(
  key: string,
  packageName: string,
  feature: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissingPackage(error, packageName)) throw error;
    throw new ConfigError(
      key,
      `${feature} needs the package ${packageName}, an optional peer dependency that is not installed: npm install ${packageName}`,
      { cause: error, context: { package: packageName } },
    );
  }
}
