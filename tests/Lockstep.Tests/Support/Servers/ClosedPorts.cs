using System.Net;
using System.Net.Sockets;

namespace Lockstep.Tests.Support.Servers;

/// <summary>
/// Ports on 127.0.0.1 where nothing listens, for as long as the test run lasts: each is held by a
/// bound socket that never listens, so a connection to it is refused and no other test's server
/// can be given it (a port only free a moment ago could be).
/// </summary>
public static class ClosedPorts
{
    private static readonly List<Socket> Held = [];

    public static int[] Take(int count)
    {
        var ports = new int[count];
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            lock (Held)
            {
                Held.Add(socket);
            }

            ports[i] = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        return ports;
    }
}
