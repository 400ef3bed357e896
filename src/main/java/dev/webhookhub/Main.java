package dev.webhookhub;

/** Starts the hub: {@code java -jar target/webhook-hub.jar} from the repository root. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        HubMain.create(System.getenv(), java.util.Map.of()).run(args);
    }
}
