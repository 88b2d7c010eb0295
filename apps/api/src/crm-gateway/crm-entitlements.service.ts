import { ChangeContext, EntitlementStore } from '@app/database';
import { DomainError, Entitlement, Project } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { CrmListQuery, crmOrderBy } from './crm-list-query';

export interface CrmEntitlementPage {
  totalRecords: number;
  /** Absent when the query asked for the count only (limit=0). */
  entitlements?: Entitlement[];
}

/**
 * The CRM gateway's use of the shared EntitlementStore: every write goes through the store (locks,
 * duplicate rule, history); the list passes the conditions and sort keys of the checked query to the store.
 */
@Injectable()
export class CrmEntitlementsService {
  constructor(private readonly store: EntitlementStore) {}

  /** Stores a new entitlement; the tenant's device-specific switch decides which existing ones count as duplicates. */
  async create(
    tenant: Project,
    entitlement: Entitlement,
    opts: { prohibitDuplicatePurchase: boolean },
    ctx: ChangeContext,
  ): Promise<Entitlement> {
    return this.store.create(
      entitlement,
      {
        prohibitDuplicatePurchase: opts.prohibitDuplicatePurchase,
        deviceSpecificProducts: tenant.settings.deviceSpecificProducts,
      },
      ctx,
    );
  }

  /** The tenant's entitlements (whichever API created them) matching the query, one page of them. */
  async list(projectId: string, query: CrmListQuery): Promise<CrmEntitlementPage> {
    const page = await this.store.countAndPage({
      projectId,
      conditions: query.where,
      sort: crmOrderBy(query.sort),
      limit: query.limit,
      offset: query.offset,
    });
    return { totalRecords: page.total, entitlements: page.entitlements };
  }

  async get(projectId: string, id: string): Promise<Entitlement> {
    const entitlement = await this.store.get(projectId, id);
    if (!entitlement) throw notFound(projectId, id);
    return entitlement;
  }

  /** Applies `change` under the row lock; modified is false when no value changed. */
  async update(
    projectId: string,
    id: string,
    change: (e: Entitlement) => void,
    ctx: ChangeContext,
  ): Promise<{ modified: boolean }> {
    const result = await this.store.update(projectId, id, change, ctx);
    if (!result) throw notFound(projectId, id);
    return { modified: result.changed.length > 0 };
  }

  async delete(projectId: string, id: string, ctx: ChangeContext): Promise<void> {
    if (!(await this.store.delete(projectId, id, ctx))) throw notFound(projectId, id);
  }
}

function notFound(projectId: string, id: string): DomainError {
  return DomainError.notFound(
    `entitlement ${JSON.stringify(id)} does not exist in tenant ${JSON.stringify(projectId)}`,
  );
}
