namespace Kernels.Bench.Harness;

/// <summary>Locates the repository from the running binary, so results land in the source tree whatever the working directory.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest ancestor of the binary that holds <c>Kernels.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The Bench project folder.</summary>
    public static string Bench => Path.Combine(Root, "Bench");

    private static string FindRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Kernels.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Cannot find Kernels.sln above the binary or the working directory; run from the repository.");
    }
}
