System.Console.WriteLine("dream");
