import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AuthUser } from '@app/auth';
import { currentLogFields } from '@app/observability';

/** After the guards: from here on, every line this request logs names its user. */
@Injectable()
export class LogUserInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = context.getType() === 'http' ? context.switchToHttp().getRequest<{ user?: AuthUser }>().user : undefined;
    const fields = currentLogFields();
    if (user && fields) fields.userId = user.id;
    return next.handle();
  }
}
