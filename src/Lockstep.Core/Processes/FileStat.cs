using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>The fields of struct stat Lockstep decides on: type, permission bits, owner.</summary>
public readonly record struct FileStat(uint Mode, uint Uid, uint Gid, long Size, long MtimeSeconds, long MtimeNanoseconds, long Links = 1)
{
    public const uint TypeMask = 0xF000;
    public const uint RegularType = 0x8000;
    public const uint DirectoryType = 0x4000;
    public const uint SymlinkType = 0xA000;

    public bool IsRegularFile => (Mode & TypeMask) == RegularType;
    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;
    public bool IsSymlink => (Mode & TypeMask) == SymlinkType;
    public bool IsSticky => (Mode & 0x200) != 0;
    public bool GroupWritable => (Mode & 0x10) != 0;
    public bool OthersWritable => (Mode & 0x2) != 0;
    public uint Permissions => Mode & 0xFFF;

    /// <summary>What the file is, for messages: "a regular file", "a directory", "a FIFO", "a character device"...</summary>
    public string Kind => (Mode & TypeMask) switch
    {
        RegularType => "a regular file",
        DirectoryType => "a directory",
        SymlinkType => "a symlink",
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "a special file",
    };

    /// <summary>stat(2), following symlinks. Returns the errno on failure.</summary>
    public static int TryStat(string path, out FileStat result) => Call(path, follow: true, out result);

    /// <summary>lstat(2): the link itself.</summary>
    public static int TryLstat(string path, out FileStat result) => Call(path, follow: false, out result);

    /// <summary>fstatat(2) of an entry of an open directory, the link itself; an empty name is the directory itself.</summary>
    public static unsafe int TryLstatAt(int dirFd, string name, out FileStat result)
    {
        const int SymlinkNoFollow = 0x100, EmptyPath = 0x1000;
        byte* buffer = stackalloc byte[256];
        return Parse(LibC.fstatat(dirFd, name, buffer, name.Length == 0 ? EmptyPath : SymlinkNoFollow), buffer, out result);
    }

    public static uint EffectiveUid => LibC.geteuid();

    private static unsafe int Call(string path, bool follow, out FileStat result)
    {
        byte* buffer = stackalloc byte[256];
        return Parse(follow ? LibC.stat(path, buffer) : LibC.lstat(path, buffer), buffer, out result);
    }

    private static unsafe int Parse(int rc, byte* buffer, out FileStat result)
    {
        if (rc != 0)
        {
            result = default;
            return Marshal.GetLastPInvokeError();
        }

        result = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? FromGeneric(buffer) : FromX64(buffer);
        return 0;
    }

    // struct stat on x86_64: dev(8) ino(8) nlink(8) mode(4) uid(4) gid(4) pad(4) rdev(8) size(8) blksize(8) blocks(8) atim(16) mtim(16)
    private static unsafe FileStat FromX64(byte* b) => new(
        *(uint*)(b + 24), *(uint*)(b + 28), *(uint*)(b + 32), *(long*)(b + 48), *(long*)(b + 88), *(long*)(b + 96), *(long*)(b + 16));

    // The generic layout (aarch64): dev(8) ino(8) mode(4) nlink(4) uid(4) gid(4) rdev(8) pad(8) size(8) blksize(4) pad(4) blocks(8) atim(16) mtim(16)
    private static unsafe FileStat FromGeneric(byte* b) => new(
        *(uint*)(b + 16), *(uint*)(b + 24), *(uint*)(b + 28), *(long*)(b + 48), *(long*)(b + 88), *(long*)(b + 96), *(uint*)(b + 20));
}
