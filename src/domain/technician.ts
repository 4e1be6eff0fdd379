// Who a phone is enrolled as; kept apart from the API module so the first screen need not load the form schemas.
import { z } from 'zod/mini';

export const TechnicianSchema = z.strictObject({ id: z.string(), name: z.string() });
export type Technician = z.infer<typeof TechnicianSchema>;
