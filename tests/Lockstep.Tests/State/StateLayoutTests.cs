using Lockstep.State;

namespace Lockstep.Tests.State;

public sealed class StateLayoutTests
{
    [Fact]
    public void Defaults_are_use_ephemerals_places()
    {
        var layout = new StateLayout();
        layout.StateRoot.ShouldBe("/mnt/state");
        layout.PristineDir.ShouldBe("/var/lib/use-ephemeral");
        layout.Registry.ShouldBe("/var/lib/use-ephemeral/stateful-paths");
        layout.StatePathOf("/var/lib/postgresql").ShouldBe("/mnt/state/var/lib/postgresql");
        layout.PristinePathOf("/etc/ssh/key").ShouldBe("/var/lib/use-ephemeral/etc/ssh/key");
    }

    [Fact]
    public void The_registry_follows_a_moved_pristine_store_unless_given()
    {
        new StateLayout(pristineDir: "/p/").Registry.ShouldBe("/p/stateful-paths");
        new StateLayout(pristineDir: "/p", registry: "/r/list").Registry.ShouldBe("/r/list");
    }

    [Fact]
    public void A_state_root_of_slash_keeps_state_in_place_and_leaves_no_symlinks()
    {
        var layout = new StateLayout(stateRoot: "/");
        layout.StatePathOf("/var/lib/x").ShouldBe("/var/lib/x");
        layout.LeavesSymlinks.ShouldBeFalse();
        layout.Overlap("/var/lib/x").ShouldBeNull();
    }

    [Theory]
    [InlineData("/var/lib", "pristine store")] // the store lies inside it
    [InlineData("/var/lib/use-ephemeral/x", "pristine store")]
    [InlineData("/mnt", "state root")]
    [InlineData("/mnt/state/x", "state root")]
    public void A_path_around_or_inside_a_root_overlaps_it(string path, string what) =>
        new StateLayout().Overlap(path).ShouldNotBeNull().ShouldContain(what);

    [Theory]
    [InlineData("/var/lib/use-ephemeral2")]
    [InlineData("/mnt/statefile")]
    [InlineData("/var/lib/postgresql")]
    public void A_path_that_merely_shares_a_prefix_does_not_overlap(string path) =>
        new StateLayout().Overlap(path).ShouldBeNull();
}
