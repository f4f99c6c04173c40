import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.FileInputStream;
import java.io.FileOutputStream;

/**
 * What {@code sam local invoke} does, minus the container: instantiate the handler named by the template's
 * Handler string with its public no-arg constructor, feed it an event file, keep its output. Run in source-file
 * mode with only the deployment package on the class path.
 */
public class LocalInvoke {
  public static void main(String[] args) throws Exception {
    String handlerClass = args[0].split("::")[0];
    RequestStreamHandler handler =
        (RequestStreamHandler) Class.forName(handlerClass).getConstructor().newInstance();
    try (FileInputStream in = new FileInputStream(args[1]);
        FileOutputStream out = new FileOutputStream(args[2])) {
      handler.handleRequest(in, out, null);
    }
  }
}
