using Lockstep.Files;

namespace Lockstep.Update;

/// <summary>The kernel's random id of the current boot: it changes exactly when the host has rebooted.</summary>
public static class BootId
{
    public static string Read(string path)
    {
        try
        {
            // A boot id is 37 bytes; the bound keeps a wrong setting (a log, /dev/zero) from filling memory.
            string id = System.Text.Encoding.UTF8.GetString(BoundedFile.Read(path, 4096)).Trim();
            if (id.Length > 0)
            {
                return id;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UpdateException($"boot id file {path} ([main] boot_id_file) cannot be read ({FileFailure.Reason(e, path)}); fix the setting", UpdateExitCodes.BadInput);
        }

        throw new UpdateException($"boot id file {path} ([main] boot_id_file) is empty; point the setting at /proc/sys/kernel/random/boot_id", UpdateExitCodes.BadInput);
    }
}
